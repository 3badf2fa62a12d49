package io.payledger.systemtest;

import static org.awaitility.Awaitility.await;

import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.ops.OpsCli;
import io.payledger.ops.acl.PlatformAcls;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.KafkaTestClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;

/**
 * What must hold after any scenario, read from the outside: payments' statuses through payment-service, the
 * ledger's outcomes on {@code ledger.transactions} (committed records only), and {@code payledger-ops verify}.
 */
public final class Invariants {

    /** A payment as the traffic made it and payment-service reports it. */
    public record Payment(PaymentTraffic.Submission submission, String paymentId, String status) {
    }

    /**
     * One record on ledger.transactions: POSTED or DECLINED, when the ledger applied it ({@code occurredAt}) and when
     * its relay published it (the record's timestamp).
     */
    public record LedgerOutcome(String transactionId, String kind, Instant occurredAt, Instant publishedAt, long offset,
                                int partition) {
    }

    /** {@code payledger-ops verify --events}: its exit code and what it printed. */
    public record Verification(int exitCode, String output) {
    }

    private final SystemStack stack;
    private final PlatformClient platform;

    public Invariants(SystemStack stack, PlatformClient platform) {
        this.stack = stack;
        this.platform = platform;
    }

    /**
     * Finds every submission's payment by its key and waits until none is PENDING. An accepted (202) or sent (Kafka)
     * submission must have a payment; a refused one must not; an uncertain one may. Returns the payments found.
     */
    public List<Payment> awaitFinal(List<PaymentTraffic.Submission> submissions, Duration timeout) {
        Map<String, Payment> found = new java.util.concurrent.ConcurrentHashMap<>();
        List<PaymentTraffic.Submission> pending = new ArrayList<>(submissions);
        // Looked up eight at a time: a scenario's thousand payments one by one take a minute on a loaded machine
        java.util.concurrent.ExecutorService lookups = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
                List<java.util.concurrent.Future<Optional<PaymentTraffic.Submission>>> results = new ArrayList<>();
                for (PaymentTraffic.Submission submission : pending) {
                    results.add(lookups.submit(() -> stillPending(submission, found)));
                }
                List<PaymentTraffic.Submission> stillPending = new ArrayList<>();
                for (var result : results) {
                    try {
                        result.get().ifPresent(stillPending::add);
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (e.getCause() instanceof AssertionError error) {
                            throw error;
                        }
                        throw e;
                    }
                }
                pending.clear();
                pending.addAll(stillPending);
                return pending.isEmpty();
            });
        } finally {
            lookups.shutdownNow();
        }
        List<Payment> payments = new ArrayList<>();
        for (PaymentTraffic.Submission submission : submissions) {
            Payment payment = found.get(submission.key());
            if (payment != null) {
                payments.add(payment);
            }
        }
        return payments;
    }

    /** Looks the submission's payment up: the submission if it is still to be waited for, else empty. */
    private Optional<PaymentTraffic.Submission> stillPending(PaymentTraffic.Submission submission,
                                                             Map<String, Payment> found) {
        Optional<JsonNode> payment = submission.paymentId() != null
                ? Optional.of(platform.payment(submission.paymentId()))
                : platform.walletPaymentByKey(submission.key());
        if (payment.isEmpty()) {
            // a sent command payment-service has not taken yet is waited for; an uncertain request may have made none
            return submission.outcome() == PaymentTraffic.Outcome.SENT ? Optional.of(submission) : Optional.empty();
        }
        if (submission.outcome() == PaymentTraffic.Outcome.REFUSED) {
            throw new AssertionError("a refused request made a payment: " + submission + " -> " + payment.get());
        }
        String status = payment.get().get("status").asText();
        if (status.equals("PENDING")) {
            return Optional.of(submission);
        }
        found.put(submission.key(), new Payment(submission, payment.get().get("paymentId").asText(), status));
        return Optional.empty();
    }

    /**
     * Every outcome the ledger published, committed ones only, in partition and offset order. Records a scenario
     * wrote there as hostile input (header {@value HostileRecords#CASE_HEADER}) are not the ledger's, and are left out.
     */
    public List<LedgerOutcome> ledgerOutcomes() {
        Deserializer<SpecificRecord> deserializer = Topics.LEDGER_TRANSACTIONS
                .valueSerde(SerdeSettings.fromRegistryUrl(System.getenv("SCHEMA_REGISTRY_URL"))).deserializer();
        List<LedgerOutcome> outcomes = new ArrayList<>();
        try (KafkaTestClient kafka = new KafkaTestClient(stack.kafkaBootstrapServers(), stack.kafkaClientSettings())) {
            for (ConsumerRecord<byte[], byte[]> record : kafka.readAll(Topics.LEDGER_TRANSACTIONS.name())) {
                if (HostileRecords.caseOf(record.headers()).isPresent()) {
                    continue; // written there on purpose by a scenario (HostileRecords), not published by the ledger
                }
                SpecificRecord value = deserializer.deserialize(record.topic(), record.value());
                if (value instanceof TransactionPosted posted) {
                    outcomes.add(new LedgerOutcome(posted.getTransactionId(), "POSTED", posted.getOccurredAt(),
                            Instant.ofEpochMilli(record.timestamp()), record.offset(), record.partition()));
                } else if (value instanceof TransactionDeclined declined) {
                    outcomes.add(new LedgerOutcome(declined.getTransactionId(), "DECLINED", declined.getOccurredAt(),
                            Instant.ofEpochMilli(record.timestamp()), record.offset(), record.partition()));
                } else {
                    throw new AssertionError("not an outcome on ledger.transactions: " + value);
                }
            }
        }
        return outcomes;
    }

    /**
     * End-to-end latency of each payment that has a ledger outcome: from the moment it was sent (HTTP request or Kafka
     * command) to its outcome's publication on ledger.transactions. Sorted, shortest first.
     */
    public static List<Duration> latencies(List<Payment> payments, List<LedgerOutcome> outcomes) {
        Map<String, Instant> published = new java.util.HashMap<>();
        outcomes.forEach(outcome -> published.merge(outcome.transactionId(), outcome.publishedAt(),
                (a, b) -> a.isBefore(b) ? a : b));
        return payments.stream().filter(payment -> published.containsKey(payment.paymentId()))
                .map(payment -> Duration.between(payment.submission().sentAt(), published.get(payment.paymentId())))
                .sorted().toList();
    }

    /** The {@code p}-th percentile (0 to 100) of sorted durations, nearest rank. */
    public static Duration percentile(List<Duration> sorted, double p) {
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("no durations");
        }
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.min(sorted.size() - 1, Math.max(0, rank - 1)));
    }

    /** {@code payledger-ops verify --events} against the stack, in this JVM. */
    public Verification verifyEvents() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = OpsCli.run(new String[] {"verify", "--events"}, stack.opsEnvironment(), out);
        }
        return new Verification(exitCode, output.toString(StandardCharsets.UTF_8));
    }

    /**
     * The platform's consumer groups (PlatformAcls): payment-service's commands, outcomes and accounts groups,
     * fraud-service's Kafka Streams application, the ledger's group, notification-service's and its accounts group.
     */
    public static final List<String> PLATFORM_GROUPS = List.of(PlatformAcls.PAYMENT_COMMANDS_GROUP,
            PlatformAcls.PAYMENT_OUTCOMES_GROUP, PlatformAcls.PAYMENT_ACCOUNTS_GROUP, PlatformAcls.FRAUD_APPLICATION_ID,
            PlatformAcls.LEDGER_GROUP, PlatformAcls.NOTIFICATION_GROUP, PlatformAcls.NOTIFICATION_ACCOUNTS_GROUP);

    /**
     * Each platform group's lag now, per partition it has committed an offset on: the records between the group's
     * committed offset and the partition's end (its last stable offset, as a read_committed consumer sees it), commit
     * markers not counted. A group that has committed nothing has an empty map.
     */
    public Map<String, Map<TopicPartition, Long>> consumerLag() {
        Map<String, Object> config = new HashMap<>(stack.kafkaClientSettings());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        Map<String, Map<TopicPartition, Long>> lag = new LinkedHashMap<>();
        try (Admin admin = Admin.create(config)) {
            for (String group : PLATFORM_GROUPS) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.forEach((partition, offset) -> {
                    if (offset != null) {
                        latest.put(partition, OffsetSpec.latest());
                    }
                });
                Map<TopicPartition, Long> groupLag = new TreeMap<>(
                        java.util.Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition));
                if (!latest.isEmpty()) {
                    var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                            .get(30, TimeUnit.SECONDS);
                    Map<TopicPartition, long[]> behind = new HashMap<>();
                    ends.forEach((partition, end) -> {
                        long from = committed.get(partition).offset();
                        groupLag.put(partition, 0L);
                        if (end.offset() > from) {
                            behind.put(partition, new long[] {from, end.offset()});
                        }
                    });
                    groupLag.putAll(recordsBetween(behind));
                }
                lag.put(group, groupLag);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not read the consumer groups' offsets", e);
        }
        return lag;
    }

    /**
     * The records (committed ones, as a read_committed consumer sees them) in each partition's range {@code [from,
     * to)}. A transactional producer's commit marker takes an offset of its own after the transaction's records, and
     * a consumer commits the offset after the last record it processed, so a group that has processed everything
     * can be one offset short of the end, on a marker: that is no lag, and only records count.
     */
    private Map<TopicPartition, Long> recordsBetween(Map<TopicPartition, long[]> ranges) {
        if (ranges.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> config = new HashMap<>(stack.kafkaClientSettings());
        config.putAll(io.payledger.schemas.topic.TopicEnd.readCommittedConsumerConfig(stack.kafkaBootstrapServers()));
        Map<TopicPartition, Long> records = new HashMap<>();
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer =
                     new org.apache.kafka.clients.consumer.KafkaConsumer<>(config)) {
            consumer.assign(ranges.keySet());
            ranges.forEach((partition, range) -> {
                consumer.seek(partition, range[0]);
                records.put(partition, 0L);
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ranges.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue()[1])) {
                if (System.nanoTime() > deadline) {
                    // not read to the end in time: count the whole range as lag
                    ranges.forEach((partition, range) -> records.merge(partition, 0L,
                            (counted, zero) -> Math.max(counted, range[1] - range[0])));
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < ranges.get(partition)[1]) {
                        records.merge(partition, 1L, Long::sum);
                    }
                }
            }
        }
        return records;
    }

    /**
     * Waits until every platform group has caught up: its committed offsets are at the end of every partition it
     * has committed on. Returns how long that took; fails naming each partition still behind.
     */
    public Duration awaitNoLag(Duration timeout) {
        long started = System.nanoTime();
        @SuppressWarnings("unchecked")
        Map<String, Map<TopicPartition, Long>>[] last = new Map[] {Map.of()};
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                last[0] = consumerLag();
                return last[0].values().stream().flatMap(m -> m.values().stream()).allMatch(l -> l == 0);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("consumer lag did not return to zero within " + timeout + ": " + lagging(last[0]), e);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** The partitions with lag, group by group: {@code group: topic-partition=lag, ...}. */
    public static String lagging(Map<String, Map<TopicPartition, Long>> lag) {
        return lag.entrySet().stream().map(group -> group.getKey() + ": " + group.getValue().entrySet().stream()
                        .filter(e -> e.getValue() > 0).map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", ")))
                .filter(line -> !line.endsWith(": ")).collect(Collectors.joining("; "));
    }

    /**
     * Exactly one final status per accepted payment: every ACCEPTED (202) or SENT (Kafka) submission has its
     * payment among {@code payments}, in a final status, and no two submissions share a payment. Returns the
     * violations (empty when it holds).
     */
    public static List<String> exactlyOneFinal(List<PaymentTraffic.Submission> submissions, List<Payment> payments) {
        List<String> violations = new ArrayList<>();
        Map<String, Payment> byKey = new HashMap<>();
        payments.forEach(payment -> byKey.put(payment.submission().key(), payment));
        for (PaymentTraffic.Submission submission : submissions) {
            Payment payment = byKey.get(submission.key());
            boolean taken = submission.outcome() == PaymentTraffic.Outcome.ACCEPTED
                    || submission.outcome() == PaymentTraffic.Outcome.SENT;
            if (taken && payment == null) {
                violations.add("no payment for " + submission);
            }
            if (payment != null && !Set.of("POSTED", "DECLINED", "REJECTED").contains(payment.status())) {
                violations.add("not final: " + payment);
            }
            if (payment != null && submission.paymentId() != null && !submission.paymentId().equals(payment.paymentId())) {
                violations.add("the 202's payment " + submission.paymentId() + " is not the key's " + payment);
            }
        }
        Map<String, List<Payment>> byId = payments.stream().collect(Collectors.groupingBy(Payment::paymentId));
        byId.forEach((id, same) -> {
            if (same.size() > 1) {
                violations.add("one payment " + id + " for " + same.size() + " submissions: " + same);
            }
        });
        return violations;
    }

    /**
     * No outcome published twice: every transaction on ledger.transactions (all of them, not only the payments')
     * has one outcome; and each payment's outcome matches its status (POSTED and DECLINED have exactly one,
     * REJECTED none). Returns the violations.
     */
    public static List<String> outcomesOnce(List<LedgerOutcome> outcomes, List<Payment> payments) {
        List<String> violations = new ArrayList<>();
        Map<String, List<LedgerOutcome>> byTransaction = outcomes.stream()
                .collect(Collectors.groupingBy(LedgerOutcome::transactionId));
        byTransaction.forEach((id, published) -> {
            if (published.size() > 1) {
                violations.add("transaction " + id + " published " + published.size() + " times: " + published);
            }
        });
        for (Payment payment : payments) {
            List<LedgerOutcome> published = byTransaction.getOrDefault(payment.paymentId(), List.of());
            boolean matches = switch (payment.status()) {
                case "POSTED", "DECLINED" -> published.size() == 1 && published.get(0).kind().equals(payment.status());
                default -> published.isEmpty();
            };
            if (!matches) {
                violations.add("payment " + payment + " has outcomes " + published);
            }
        }
        return violations;
    }

    /**
     * Money is conserved: each account holds its funding ({@code funded}: account to its starting balance, the
     * SYSTEM account's negative) moved by exactly the posted payments, and the accounts' balances sum to zero.
     * Returns the violations.
     */
    public List<String> moneyConserved(Map<String, Long> funded, List<Payment> payments) {
        Map<String, Long> expected = new HashMap<>(funded);
        for (Payment payment : payments) {
            if (payment.status().equals("POSTED")) {
                expected.merge(payment.submission().from(), -payment.submission().amountMinor(), Long::sum);
                expected.merge(payment.submission().to(), payment.submission().amountMinor(), Long::sum);
            }
        }
        Map<String, Long> balances = new TreeMap<>();
        expected.keySet().forEach(account -> balances.put(account, platform.balance(account)));
        List<String> violations = new ArrayList<>();
        if (!balances.equals(new TreeMap<>(expected))) {
            violations.add("balances " + balances + " are not funding moved by the posted payments " + new TreeMap<>(expected));
        }
        long sum = balances.values().stream().mapToLong(Long::longValue).sum();
        if (sum != 0) {
            violations.add("the accounts' balances sum to " + sum + ", not zero: " + balances);
        }
        return violations;
    }

    /** The payments' IDs. */
    public static Set<String> paymentIds(List<Payment> payments) {
        Set<String> ids = new HashSet<>();
        payments.forEach(payment -> ids.add(payment.paymentId()));
        return ids;
    }
}
