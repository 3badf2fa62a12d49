package io.payledger.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.DeadLetterHeaders;
import io.payledger.schemas.topic.Topic;
import io.payledger.schemas.topic.Topics;
import io.payledger.systemtest.HostileRecords.DeadLettered;
import io.payledger.systemtest.HostileRecords.Declined;
import io.payledger.systemtest.HostileRecords.Expected;
import io.payledger.systemtest.HostileRecords.Hostile;
import io.payledger.systemtest.HostileRecords.PaymentFinal;
import io.payledger.systemtest.HostileRecords.Rejected;
import io.payledger.systemtest.Invariants.LedgerOutcome;
import io.payledger.systemtest.Invariants.Payment;
import io.payledger.systemtest.PaymentTraffic.Outcome;
import io.payledger.systemtest.PaymentTraffic.Submission;
import io.payledger.testsupport.KafkaTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Bad input under load (issue 10, item 4): while valid payments flow over HTTP and Kafka, every topic a service
 * consumes gets a catalogue of hostile records ({@link HostileRecords}): bytes that do not decode, Avro with an
 * unknown schema fingerprint, a record just under the topic's size limit, and well-formed values that break the
 * payment rules, including approvals of payments nobody made. Each must end dead-lettered by every consumer group
 * that cannot process it, or declined or rejected with a reason; no service may stop being ready, no balance may move
 * but by the valid payments, and the valid payments must all settle as usual.
 */
class HostileInputUnderLoadTest extends SharedStackTest {

    private static final String CURRENCY = "USD";
    private static final long FUNDING_MINOR = 1_000_00;
    private static final int PAYMENTS_PER_SECOND = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);


    @Test
    void everyHostileRecordIsDeadLetteredOrDeclinedWithAReasonWhileValidPaymentsSettle() throws Exception {
        long started = System.nanoTime();

        // Given a SYSTEM account, four funded customer accounts of the wallet and one it never funds, names unique to
        // this run
        String run = UUID.randomUUID().toString().substring(0, 8);
        String settlement = "systest-" + run + "-settlement";
        String empty = "systest-" + run + "-empty";
        List<String> customers = List.of("a", "b", "c", "d").stream().map(n -> "systest-" + run + "-" + n).toList();
        platform.openSystemAccount(settlement, CURRENCY);
        customers.forEach(account -> platform.openCustomerAccount(account, CURRENCY));
        platform.openCustomerAccount(empty, CURRENCY);
        List<String> funding = new ArrayList<>();
        for (String customer : customers) {
            funding.add(platform.fund("funding-" + customer, settlement, customer, FUNDING_MINOR, CURRENCY));
        }
        await().atMost(TIMEOUT).until(() -> funding.stream().allMatch(id -> platform.status(id).equals("POSTED")));

        // And a catalogue of hostile records for every consumed topic
        String producer = stack.wallet().clientId();
        HostileRecords catalogue = new HostileRecords(run, new HostileRecords.Accounts(customers.get(0),
                customers.get(1), empty, settlement, CURRENCY, producer));
        List<String> consumedTopics = List.of(Topics.paymentCommands(producer).name(), Topics.PAYMENTS_INITIATED.name(),
                Topics.FRAUD_DECISIONS.name(), Topics.LEDGER_TRANSACTIONS.name(), Topics.LEDGER_ACCOUNTS.name());
        List<Hostile> hostiles = catalogue.catalogue(HostileRecords.maxMessageBytes(stack.kafkaBootstrapServers(),
                stack.kafkaClientSettings(), consumedTopics));

        // And every service's readiness asked each second from now on
        Readiness readiness = new Readiness(stack);

        // And payments flowing between the customers, one in five a command on the wallet's Kafka topic
        Invariants invariants = new Invariants(stack, platform);
        PaymentTraffic traffic = new PaymentTraffic(stack, platform, customers, CURRENCY, 500, 5);
        Instant trafficStarted = Instant.now();
        traffic.start(PAYMENTS_PER_SECOND);
        try {
            await().atMost(TIMEOUT).until(() -> traffic.count(Outcome.ACCEPTED, trafficStarted) >= 20);

            // When the hostile records are written among them, spread over some seconds
            try (HostileRecords.Writer writer = new HostileRecords.Writer(stack.kafkaBootstrapServers(),
                    stack.kafkaClientSettings())) {
                for (Hostile hostile : hostiles) {
                    writer.write(hostile);
                    Thread.sleep(150);
                }
            }
            // and the valid payments go on a while after the last of them
            Instant lastHostile = Instant.now();
            await().atMost(TIMEOUT).until(() -> traffic.count(Outcome.ACCEPTED, lastHostile) >= 50);
        } finally {
            traffic.close();
        }

        // Then each hostile record ends as the contract says: dead-lettered by each consumer group that cannot
        // process it (one copy per group, the reason in its headers), declined by the ledger or rejected by
        // fraud-service with a reason
        Observer observer = new Observer(hostiles);
        AtomicReference<Observations> latest = new AtomicReference<>();
        try {
            await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(2))
                    .until(() -> observer.missing(latest.updateAndGet(previous -> observer.observe())).isEmpty());
        } catch (ConditionTimeoutException e) {
            // Still missing: the assertions below name each record and what did not happen to it.
        }
        Observations observed = latest.get();
        observer.print(observed);
        SoftAssertions softly = new SoftAssertions();
        for (Hostile hostile : hostiles) {
            Set<DeadLettered> expected = new LinkedHashSet<>(hostile.deadLetters());
            softly.assertThat(observed.deadLetters(hostile.caseId())).as("dead letters of %s", hostile)
                    .containsExactlyInAnyOrderElementsOf(expected);
            for (Expected outcome : hostile.expected()) {
                if (!(outcome instanceof DeadLettered)) {
                    softly.assertThat(observed.outcome(hostile.caseId(), outcome)).as("%s of %s", outcome, hostile)
                            .isTrue();
                }
            }
            if (hostile.paymentId() != null) {
                softly.assertThat(observed.postedPaymentIds()).as("a posting of %s", hostile)
                        .doesNotContain(hostile.paymentId());
            }
        }
        softly.assertThat(observed.malformedDeadLetters()).as("dead letters without source topic or reason").isEmpty();
        softly.assertThat(observed.unexpectedFailures()).as("dead letters whose reason is a failure, not a refusal "
                + "(the record reached code that could not handle it, e.g. the database)").isEmpty();

        // And the valid payments, over HTTP or Kafka, each reached exactly one final status
        List<Submission> submissions = traffic.submissions();
        List<Payment> payments;
        try {
            payments = invariants.awaitFinal(submissions, TIMEOUT);
        } catch (ConditionTimeoutException e) {
            softly.fail("valid payments still PENDING after " + TIMEOUT + ": " + e.getMessage());
            payments = List.of();
        }
        Set<String> settledKeys = payments.stream().map(p -> p.submission().key()).collect(Collectors.toSet());
        for (Submission submission : submissions) {
            if (submission.outcome() == Outcome.ACCEPTED || submission.outcome() == Outcome.SENT) {
                softly.assertThat(settledKeys).as("payment of %s", submission).contains(submission.key());
            }
        }
        softly.assertThat(submissions).as("HTTP requests refused or unanswered")
                .noneMatch(s -> s.outcome() == Outcome.REFUSED || s.outcome() == Outcome.UNCERTAIN);
        softly.assertThat(payments).extracting(Payment::status).isSubsetOf("POSTED", "DECLINED", "REJECTED")
                .contains("POSTED");

        // And the ledger published one outcome per transaction, each matching the payment's status
        List<LedgerOutcome> outcomes = invariants.ledgerOutcomes();
        Map<String, List<LedgerOutcome>> byTransaction = outcomes.stream()
                .collect(Collectors.groupingBy(LedgerOutcome::transactionId));
        softly.assertThat(byTransaction.values()).as("transactions published more than once")
                .allMatch(list -> list.size() == 1);
        for (Payment payment : payments) {
            List<LedgerOutcome> published = byTransaction.getOrDefault(payment.paymentId(), List.of());
            switch (payment.status()) {
                case "POSTED", "DECLINED" -> softly.assertThat(published).as(payment.toString())
                        .singleElement().extracting(LedgerOutcome::kind).isEqualTo(payment.status());
                default -> softly.assertThat(published).as(payment.toString()).isEmpty();
            }
        }

        // And no balance moved but by the valid payments: the funding, moved exactly by the posted payments
        Map<String, Long> expected = new HashMap<>();
        customers.forEach(account -> expected.put(account, FUNDING_MINOR));
        expected.put(settlement, -FUNDING_MINOR * customers.size());
        expected.put(empty, 0L);
        for (Payment payment : payments) {
            if (payment.status().equals("POSTED")) {
                expected.merge(payment.submission().from(), -payment.submission().amountMinor(), Long::sum);
                expected.merge(payment.submission().to(), payment.submission().amountMinor(), Long::sum);
            }
        }
        Map<String, Long> balances = expected.keySet().stream()
                .collect(Collectors.toMap(Function.identity(), platform::balance));
        softly.assertThat(balances).isEqualTo(expected);
        softly.assertThat(balances.values().stream().mapToLong(Long::longValue).sum()).isZero();

        // And payledger-ops verify --events finds the books and the ledger's topics sound
        Invariants.Verification verification = invariants.verifyEvents();
        softly.assertThat(verification.exitCode()).as(verification.output()).isZero();

        // And every service stayed ready throughout, from before the first hostile record until now
        readiness.close();
        softly.assertThat(readiness.failures()).as("readiness answers other than 200 (of %d asked)", readiness.asked())
                .isEmpty();
        // (each service asked every second, give or take a slow answer: at least one probe per service per 2 s)
        softly.assertThat(readiness.asked()).isGreaterThanOrEqualTo(
                (int) (Service.values().length * readiness.elapsed().toSeconds() / 2));

        System.out.printf("HOSTILE INPUT: %d hostile records on %d topics, %d dead letters; %d valid payments "
                        + "(%d over Kafka) settled; readiness asked %d times, %d not 200; %d s%n", hostiles.size(),
                consumedTopics.size(), observed.deadLetterCount(), payments.size(),
                payments.stream().filter(p -> p.submission().channel() == PaymentTraffic.Channel.KAFKA).count(),
                readiness.asked(), readiness.failures().size(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        softly.assertAll();
    }

    /** Asks every service's {@code /actuator/health/readiness} each second, and keeps what was not 200. */
    private static final class Readiness implements AutoCloseable {

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(Service.values().length,
                r -> new Thread(r, "readiness-probe"));
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final AtomicInteger asked = new AtomicInteger();
        private final long startedAt = System.nanoTime();
        private volatile long closedAt;

        Readiness(SystemStack stack) {
            for (Service service : Service.values()) {
                stack.managementUrl(service).ifPresent(url -> timer.scheduleAtFixedRate(() -> probe(service, url), 0,
                        1, TimeUnit.SECONDS));
            }
        }

        private void probe(Service service, String url) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(3)).GET().build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    failures.add(Instant.now() + " " + service + ": " + response.statusCode() + " " + response.body());
                }
            } catch (Exception e) {
                failures.add(Instant.now() + " " + service + ": " + e);
            } finally {
                asked.incrementAndGet();
            }
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        int asked() {
            return asked.get();
        }

        /** From the first probe to {@link #close()}. */
        Duration elapsed() {
            return Duration.ofNanos(closedAt - startedAt);
        }

        @Override
        public void close() {
            timer.shutdownNow();
            closedAt = System.nanoTime();
        }
    }

    /** What became of the hostile records so far, as read from the topics and payment-service. */
    private record Observations(Map<String, Set<DeadLettered>> deadLettersByCase, Map<String, String> declineReasons,
                                Map<String, List<FraudDecision>> decisionsByCase, Set<String> postedPaymentIds,
                                Map<String, String> paymentStatuses, List<String> malformedDeadLetters,
                                Map<String, List<String>> reasonsByCase, int deadLetterCount,
                                Map<String, String> ownPayment, List<String> unexpectedFailures) {

        Set<DeadLettered> deadLetters(String caseId) {
            return deadLettersByCase.getOrDefault(caseId, Set.of());
        }

        boolean outcome(String caseId, Expected expected) {
            if (expected instanceof Declined declined) {
                return declined.reason().equals(declineReasons.get(ownPayment.get(caseId)));
            }
            if (expected instanceof Rejected rejected) {
                return decisionsByCase.getOrDefault(caseId, List.of()).stream()
                        .anyMatch(d -> d.getVerdict() == FraudVerdict.REJECTED
                                && d.getReasons().contains(rejected.reason()));
            }
            if (expected instanceof PaymentFinal payment) {
                return payment.status().equals(paymentStatuses.get(payment.commandId()));
            }
            return deadLetters(caseId).contains((DeadLettered) expected);
        }
    }

    /** Reads the dead-letter topics, the ledger's outcomes and fraud-service's decisions, and finds each case's. */
    private static final class Observer {

        /**
         * What a consumer dead-letters a record with when it refuses it (dlt.error.class, the root cause): it does not
         * decode, or it breaks a rule the consumer checks. Anything else means the record got further than it should.
         */
        private static final Set<String> REFUSALS = Set.of("org.apache.kafka.common.errors.SerializationException",
                "io.payledger.platform.messaging.PoisonRecordException",
                "io.payledger.payment.domain.PaymentRefusedException");

        private final List<Hostile> hostiles;
        private final Map<String, Hostile> byCase = new LinkedHashMap<>();
        private final Map<String, String> caseByPaymentId = new HashMap<>();
        private final SerdeSettings serdeSettings = SerdeSettings.fromRegistryUrl(System.getenv("SCHEMA_REGISTRY_URL"));

        Observer(List<Hostile> hostiles) {
            this.hostiles = hostiles;
            for (Hostile hostile : hostiles) {
                byCase.put(hostile.caseId(), hostile);
                if (hostile.paymentId() != null) {
                    caseByPaymentId.put(hostile.paymentId(), hostile.caseId());
                }
            }
        }

        Observations observe() {
            Map<String, Set<DeadLettered>> deadLetters = new HashMap<>();
            Map<String, List<String>> reasons = new HashMap<>();
            List<String> malformed = new ArrayList<>();
            List<String> unexpectedFailures = new ArrayList<>();
            int count = 0;
            Map<String, String> declineReasons = new HashMap<>();
            Set<String> posted = new java.util.HashSet<>();
            Map<String, List<FraudDecision>> decisions = new HashMap<>();
            Map<String, String> statuses = new HashMap<>();
            try (KafkaTestClient kafka = new KafkaTestClient(stack.kafkaBootstrapServers(), stack.kafkaClientSettings())) {
                Set<String> deadLetterTopics = new TreeSet<>();
                hostiles.forEach(h -> {
                    deadLetterTopics.add(h.topic() + Topics.DEAD_LETTER_SUFFIX);
                    h.deadLetters().forEach(d -> deadLetterTopics.add(d.deadLetterTopic()));
                });
                for (String deadLetterTopic : deadLetterTopics) {
                    String source = deadLetterTopic.substring(0, deadLetterTopic.length()
                            - Topics.DEAD_LETTER_SUFFIX.length());
                    for (ConsumerRecord<byte[], byte[]> record : kafka.readAll(deadLetterTopic)) {
                        Optional<String> caseId = caseOf(record, source);
                        if (caseId.isEmpty()) {
                            continue; // another scenario's
                        }
                        count++;
                        String group = KafkaTestClient.header(record, DeadLetterHeaders.CONSUMER_GROUP).orElse("?");
                        deadLetters.computeIfAbsent(caseId.get(), c -> new LinkedHashSet<>())
                                .add(new DeadLettered(deadLetterTopic, group));
                        String reason = KafkaTestClient.header(record, DeadLetterHeaders.ERROR_MESSAGE).orElse("");
                        String errorClass = KafkaTestClient.header(record, DeadLetterHeaders.ERROR_CLASS).orElse("?");
                        if (!REFUSALS.contains(errorClass)) {
                            unexpectedFailures.add(caseId.get() + " on " + deadLetterTopic + " by " + group + ": "
                                    + errorClass + ": " + reason);
                        }
                        reasons.computeIfAbsent(caseId.get(), c -> new ArrayList<>()).add(group + " on "
                                + deadLetterTopic + ": "
                                + KafkaTestClient.header(record, DeadLetterHeaders.ERROR_CLASS).orElse("?") + ": "
                                + (reason.length() > 160 ? reason.substring(0, 160) + "..." : reason));
                        boolean sourceNamed = KafkaTestClient.header(record, DeadLetterHeaders.SOURCE_TOPIC)
                                .filter(source::equals).isPresent();
                        Hostile hostile = byCase.get(caseId.get());
                        // The original bytes; or, for a record too large to dead-letter with the headers, none,
                        // and a header saying so (the original stays on the source topic)
                        Optional<String> omitted = KafkaTestClient.header(record, DeadLetterHeaders.VALUE_OMITTED);
                        boolean sameBytes = !hostile.topic().equals(source)
                                || Arrays.equals(hostile.value(), record.value())
                                || (omitted.isPresent() && record.value() == null);
                        omitted.ifPresent(what -> reasons.get(caseId.get()).add("  (" + group + ": value omitted: "
                                + what + ")"));
                        if (!sourceNamed || reason.isBlank() || !sameBytes) {
                            malformed.add(caseId.get() + " on " + deadLetterTopic + " by " + group + ": source "
                                    + KafkaTestClient.header(record, DeadLetterHeaders.SOURCE_TOPIC).orElse(null)
                                    + ", reason '" + reason + "', original bytes " + sameBytes);
                        }
                    }
                }
                var outcomeValues = Topics.LEDGER_TRANSACTIONS.valueSerde(serdeSettings).deserializer();
                for (ConsumerRecord<byte[], byte[]> record : kafka.readAll(Topics.LEDGER_TRANSACTIONS.name())) {
                    if (HostileRecords.caseOf(record.headers()).isPresent()) {
                        continue; // written by this scenario, not by the ledger
                    }
                    SpecificRecord outcome = outcomeValues.deserialize(record.topic(), record.value());
                    if (outcome instanceof TransactionDeclined declined
                            && caseByPaymentId.containsKey(declined.getPaymentId())) {
                        declineReasons.put(declined.getPaymentId(), declined.getReason());
                    } else if (outcome instanceof TransactionPosted p && caseByPaymentId.containsKey(p.getPaymentId())) {
                        posted.add(p.getPaymentId());
                    }
                }
                var decisionValues = Topics.FRAUD_DECISIONS.valueSerde(serdeSettings).deserializer();
                for (ConsumerRecord<byte[], byte[]> record : kafka.readAll(Topics.FRAUD_DECISIONS.name())) {
                    Optional<String> caseId = HostileRecords.caseOf(record.headers()).filter(byCase::containsKey);
                    if (caseId.isEmpty() || !byCase.get(caseId.get()).topic().equals(Topics.PAYMENTS_INITIATED.name())) {
                        continue; // not fraud-service's decision on a hostile payment
                    }
                    decisions.computeIfAbsent(caseId.get(), c -> new ArrayList<>())
                            .add(decisionValues.deserialize(record.topic(), record.value()));
                }
            }
            for (Hostile hostile : hostiles) {
                for (Expected expected : hostile.expected()) {
                    if (expected instanceof PaymentFinal payment) {
                        platform.walletPaymentByKey(payment.commandId()).map(p -> p.get("status").asText())
                                .ifPresent(status -> statuses.put(payment.commandId(), status));
                    }
                }
            }
            Map<String, String> ownPayment = new HashMap<>();
            hostiles.stream().filter(h -> h.paymentId() != null).forEach(h -> ownPayment.put(h.caseId(), h.paymentId()));
            return new Observations(deadLetters, declineReasons, decisions, posted, statuses, malformed, reasons, count,
                    ownPayment, unexpectedFailures);
        }

        /** The case a dead letter belongs to: by its header, or else by the payment ID in its value. */
        private Optional<String> caseOf(ConsumerRecord<byte[], byte[]> record, String sourceTopic) {
            Optional<String> byHeader = HostileRecords.caseOf(record.headers()).filter(byCase::containsKey);
            if (byHeader.isPresent()) {
                return byHeader;
            }
            Optional<Topic<String, ?>> topic = Topics.byName(sourceTopic);
            if (topic.isEmpty() || record.value() == null) {
                return Optional.empty();
            }
            try {
                Object value = topic.get().valueSerde(serdeSettings).deserializer().deserialize(sourceTopic,
                        record.value());
                if (value instanceof SpecificRecord specific && specific.getSchema().getField("paymentId") != null) {
                    Object paymentId = specific.get(specific.getSchema().getField("paymentId").pos());
                    return Optional.ofNullable(paymentId == null ? null : caseByPaymentId.get(paymentId.toString()));
                }
            } catch (RuntimeException undecodable) {
                // someone else's
            }
            return Optional.empty();
        }

        /** What is still missing: each case's expected outcomes not observed yet. */
        List<String> missing(Observations observed) {
            List<String> missing = new ArrayList<>();
            for (Hostile hostile : hostiles) {
                for (Expected expected : hostile.expected()) {
                    if (!observed.outcome(hostile.caseId(), expected)) {
                        missing.add(hostile.caseId() + " " + expected);
                    }
                }
            }
            return missing;
        }

        void print(Observations observed) {
            StringBuilder out = new StringBuilder("HOSTILE RECORDS, what became of each:\n");
            for (Hostile hostile : hostiles) {
                out.append("  ").append(hostile.caseId()).append(" [").append(hostile.description()).append("] on ")
                        .append(hostile.topic()).append('\n');
                observed.reasonsByCase().getOrDefault(hostile.caseId(), List.of()).forEach(reason ->
                        out.append("      dead-lettered by ").append(reason).append('\n'));
                if (hostile.paymentId() != null && observed.declineReasons().containsKey(hostile.paymentId())) {
                    out.append("      declined by the ledger: ").append(observed.declineReasons()
                            .get(hostile.paymentId())).append('\n');
                }
                observed.decisionsByCase().getOrDefault(hostile.caseId(), List.of()).forEach(d ->
                        out.append("      fraud decision: ").append(d.getVerdict()).append(' ')
                                .append(d.getReasons()).append('\n'));
                hostile.expected().stream().filter(PaymentFinal.class::isInstance).map(PaymentFinal.class::cast)
                        .forEach(p -> out.append("      payment: ")
                                .append(observed.paymentStatuses().getOrDefault(p.commandId(), "none")).append('\n'));
                hostile.expected().stream().filter(e -> !observed.outcome(hostile.caseId(), e)).forEach(e ->
                        out.append("      MISSING: ").append(e).append('\n'));
                Set<DeadLettered> unexpected = new LinkedHashSet<>(observed.deadLetters(hostile.caseId()));
                hostile.deadLetters().forEach(unexpected::remove);
                unexpected.forEach(d -> out.append("      UNEXPECTED: ").append(d).append('\n'));
            }
            System.out.print(out);
        }
    }

}
