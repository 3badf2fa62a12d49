package io.payledger.systemtest;

import static org.awaitility.Awaitility.await;

import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.ops.OpsCli;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.KafkaTestClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
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
        Map<String, Payment> found = new LinkedHashMap<>();
        List<PaymentTraffic.Submission> pending = new ArrayList<>(submissions);
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<PaymentTraffic.Submission> stillPending = new ArrayList<>();
            for (PaymentTraffic.Submission submission : pending) {
                Optional<JsonNode> payment = submission.paymentId() != null
                        ? Optional.of(platform.payment(submission.paymentId()))
                        : platform.walletPaymentByKey(submission.key());
                if (payment.isEmpty()) {
                    if (submission.outcome() == PaymentTraffic.Outcome.SENT) {
                        stillPending.add(submission); // payment-service has not taken the command yet
                    }
                    continue;
                }
                if (submission.outcome() == PaymentTraffic.Outcome.REFUSED) {
                    throw new AssertionError("a refused request made a payment: " + submission + " -> " + payment.get());
                }
                String status = payment.get().get("status").asText();
                if (status.equals("PENDING")) {
                    stillPending.add(submission);
                } else {
                    found.put(submission.key(), new Payment(submission, payment.get().get("paymentId").asText(), status));
                }
            }
            pending.clear();
            pending.addAll(stillPending);
            return pending.isEmpty();
        });
        return List.copyOf(found.values());
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
}
