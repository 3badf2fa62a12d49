package io.payledger.fraud.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payledger.fraud.domain.FraudRules;
import io.payledger.platform.messaging.RedriveTargets;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.DeadLetterHeaders;
import io.payledger.schemas.topic.Topics;
import io.payledger.schemas.topic.TraceHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real topology, driven in-process by Kafka's own test driver. */
class FraudTopologyTest {

    private static final SerdeSettings SERDE = SerdeSettings.singleObjectEncoding();
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final String APPLICATION_ID = "fraud-topology-test";
    private static final Duration DECISION_RETENTION = Duration.ofDays(7);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, PaymentInitiated> initiated;
    private TestOutputTopic<String, FraudDecision> decisions;

    @BeforeEach
    void start() {
        FraudRules rules = new FraudRules(Map.of("USD", 100_000L), 50_000, 2, Duration.ofMinutes(1));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // Our own state directory: the shared default would collide with other builds on this machine.
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // The service runs after the payments were made: processing time never precedes a payment's own time.
        driver = new TopologyTestDriver(FraudTopology.build(rules, SERDE, DECISION_RETENTION,
                new RedriveTargets(APPLICATION_ID, new SimpleMeterRegistry())), config, T0.plus(Duration.ofHours(1)));
        initiated = driver.createInputTopic(Topics.PAYMENTS_INITIATED.name(), Topics.PAYMENTS_INITIATED.keySerde().serializer(),
                Topics.PAYMENTS_INITIATED.valueSerde(SERDE).serializer());
        decisions = driver.createOutputTopic(Topics.FRAUD_DECISIONS.name(), Topics.FRAUD_DECISIONS.keySerde().deserializer(),
                Topics.FRAUD_DECISIONS.valueSerde(SERDE).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void approvesAPaymentUnderTheLimitKeepingKeyHeadersAndThePayment() {
        PaymentInitiated payment = payment("p-1", "alice", 100_000, "USD", T0);
        RecordHeaders headers = new RecordHeaders();
        headers.add(TraceHeaders.TRACE_ID, "trace-1".getBytes(StandardCharsets.UTF_8));

        initiated.pipeInput(new TestRecord<>("alice", payment, headers, T0));

        TestRecord<String, FraudDecision> out = decisions.readRecord();
        assertThat(out.key()).isEqualTo("alice");
        assertThat(out.value().getVerdict()).isEqualTo(FraudVerdict.APPROVED);
        assertThat(out.value().getReasons()).isEmpty();
        assertThat(out.value().getPayment()).isEqualTo(payment);
        assertThat(new String(out.headers().lastHeader(TraceHeaders.TRACE_ID).value(), StandardCharsets.UTF_8))
                .isEqualTo("trace-1");
    }

    @Test
    void rejectsAPaymentOverItsCurrencyLimit() {
        initiated.pipeInput("alice", payment("p-2", "alice", 100_001, "USD", T0));

        FraudDecision decision = decisions.readValue();
        assertThat(decision.getVerdict()).isEqualTo(FraudVerdict.REJECTED);
        assertThat(decision.getReasons()).containsExactly("AMOUNT_OVER_LIMIT");
    }

    @Test
    void rejectsTheThirdPaymentOfAnAccountWithinTheWindowButNotAnotherAccounts() {
        initiated.pipeInput("alice", payment("p-3", "alice", 1, "USD", T0));
        initiated.pipeInput("alice", payment("p-4", "alice", 1, "USD", T0.plusSeconds(1)));
        initiated.pipeInput("alice", payment("p-5", "alice", 1, "USD", T0.plusSeconds(2)));
        initiated.pipeInput("bob", payment("p-6", "bob", 1, "USD", T0.plusSeconds(3)));

        assertThat(decisions.readValuesToList()).extracting(FraudDecision::getPaymentId, FraudDecision::getVerdict)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(paymentId("p-3"), FraudVerdict.APPROVED),
                        org.assertj.core.groups.Tuple.tuple(paymentId("p-4"), FraudVerdict.APPROVED),
                        org.assertj.core.groups.Tuple.tuple(paymentId("p-5"), FraudVerdict.REJECTED),
                        org.assertj.core.groups.Tuple.tuple(paymentId("p-6"), FraudVerdict.APPROVED));
    }

    @Test
    void theSamePaymentAgainGetsTheSameDecisionNotANewOne() {
        // Given a payment decided once
        initiated.pipeInput("carol", payment("p-7", "carol", 100_001, "USD", T0));
        FraudDecision first = decisions.readValue();

        // When it arrives again later (a replay), by when a new decision would carry a later time
        driver.advanceWallClockTime(Duration.ofMinutes(5));
        initiated.pipeInput("carol", payment("p-7", "carol", 100_001, "USD", T0));

        // Then the very same decision is emitted again: event ID, time, verdict, reasons and payment
        FraudDecision again = decisions.readValue();
        assertThat(again).isEqualTo(first);
        assertThat(again.getEventId()).isEqualTo(first.getEventId());
        assertThat(again.getVerdict()).isEqualTo(FraudVerdict.REJECTED);
        assertThat(again.getReasons()).containsExactly("AMOUNT_OVER_LIMIT");
        assertThat(decisions.isEmpty()).isTrue();
    }

    @Test
    void aReplayedVelocityRejectionStaysRejectedAndReplaysCountTowardNoLimit() {
        // Given (limit: 2 payments a minute) a velocity rejection, then a payment in the next window
        initiated.pipeInput("dave", payment("p-10", "dave", 1, "USD", T0));
        initiated.pipeInput("dave", payment("p-11", "dave", 1, "USD", T0.plusSeconds(1)));
        initiated.pipeInput("dave", payment("p-12", "dave", 1, "USD", T0.plusSeconds(2)));
        initiated.pipeInput("dave", payment("p-13", "dave", 1, "USD", T0.plusSeconds(61)));
        List<FraudDecision> original = decisions.readValuesToList();
        assertThat(original).extracting(FraudDecision::getPaymentId, FraudDecision::getVerdict).containsExactly(
                org.assertj.core.groups.Tuple.tuple(paymentId("p-10"), FraudVerdict.APPROVED),
                org.assertj.core.groups.Tuple.tuple(paymentId("p-11"), FraudVerdict.APPROVED),
                org.assertj.core.groups.Tuple.tuple(paymentId("p-12"), FraudVerdict.REJECTED),
                org.assertj.core.groups.Tuple.tuple(paymentId("p-13"), FraudVerdict.APPROVED));

        // When the consumer group is replayed from the rejection on, twice, and then a new payment comes
        for (int replay = 0; replay < 2; replay++) {
            initiated.pipeInput("dave", payment("p-12", "dave", 1, "USD", T0.plusSeconds(2)));
            initiated.pipeInput("dave", payment("p-13", "dave", 1, "USD", T0.plusSeconds(61)));
        }
        initiated.pipeInput("dave", payment("p-14", "dave", 1, "USD", T0.plusSeconds(62)));

        // Then each replay repeats the first decisions exactly, the rejection included
        List<FraudDecision> after = decisions.readValuesToList();
        assertThat(after.subList(0, 4)).containsExactly(original.get(2), original.get(3), original.get(2),
                original.get(3));
        assertThat(after.get(0).getReasons()).containsExactly("VELOCITY_EXCEEDED");
        // And the new payment is only the second of its window: the replays were not counted
        assertThat(after.get(4).getPaymentId()).isEqualTo(paymentId("p-14"));
        assertThat(after.get(4).getVerdict()).isEqualTo(FraudVerdict.APPROVED);
        assertThat(after).hasSize(5);
    }

    @Test
    void decisionsAreWrittenToAChangelogAndForgottenOnlyAfterTheirRetention() {
        // Given a decision
        initiated.pipeInput(new TestRecord<>("erin", payment("p-20", "erin", 1, "USD", T0), T0));
        FraudDecision decision = decisions.readValue();

        // Then it is in the store's changelog, from which Streams rebuilds the store on another instance
        TestOutputTopic<byte[], FraudDecision> changelog = driver.createOutputTopic(
                APPLICATION_ID + "-" + FraudTopology.DECISION_STORE + "-changelog", Serdes.ByteArray().deserializer(),
                Topics.FRAUD_DECISIONS.valueSerde(SERDE).deserializer());
        assertThat(changelog.readValuesToList()).containsExactly(decision);

        // When stream time reaches the end of the retention, it is still remembered
        Instant endOfRetention = T0.plus(DECISION_RETENTION).minusSeconds(1);
        initiated.pipeInput(new TestRecord<>("frank", payment("p-21", "frank", 1, "USD", endOfRetention), endOfRetention));
        assertThat(storedDecision(paymentId("p-20"))).isEqualTo(decision);

        // And once stream time is past it, it is gone
        Instant pastRetention = T0.plus(DECISION_RETENTION).plusSeconds(1);
        initiated.pipeInput(new TestRecord<>("frank", payment("p-22", "frank", 1, "USD", pastRetention), pastRetention));
        assertThat(storedDecision(paymentId("p-20"))).isNull();
    }

    @Test
    void aPaymentRedrivenForAnotherConsumerGroupGetsNoDecision() {
        // Given a payment redriven for notification-service, which also reads payments.initiated
        PaymentInitiated payment = payment("p-30", "gina", 1, "USD", T0);

        // When it arrives
        initiated.pipeInput(new TestRecord<>("gina", payment, redrivenFor("notification-service"), T0));

        // Then fraud-service decides nothing, and does not count it toward the account's velocity
        assertThat(decisions.isEmpty()).isTrue();
        assertThat(storedDecision(paymentId("p-30"))).isNull();
        assertThat(driver.<String, Object>getKeyValueStore(FraudTopology.ACTIVITY_STORE).get("gina")).isNull();
    }

    @Test
    void bytesRedrivenForAnotherConsumerGroupAreNotEvenDecoded() {
        // Given bytes that do not decode, redriven for another group (the driver's default handler fails the
        // stream on anything that does not decode)
        TestInputTopic<String, byte[]> raw = driver.createInputTopic(Topics.PAYMENTS_INITIATED.name(),
                new StringSerializer(), Serdes.ByteArray().serializer());

        // When they arrive
        raw.pipeInput(new TestRecord<>("gina", "not avro".getBytes(StandardCharsets.UTF_8),
                redrivenFor("notification-service"), T0));

        // Then they are skipped without a failure and without a decision
        assertThat(decisions.isEmpty()).isTrue();
    }

    @Test
    void aPaymentRedrivenForThisGroupIsDecidedAndItsDecisionIsForEveryGroup() {
        // Given a payment redriven for fraud-service itself
        PaymentInitiated payment = payment("p-31", "hank", 1, "USD", T0);
        RecordHeaders headers = redrivenFor(APPLICATION_ID);
        headers.add(TraceHeaders.TRACE_ID, "trace-31".getBytes(StandardCharsets.UTF_8));

        // When it arrives
        initiated.pipeInput(new TestRecord<>("hank", payment, headers, T0));

        // Then it is decided, and the decision keeps the trace but not the redrive target, so its readers
        // (ledger, payments, notifications) do not skip it
        TestRecord<String, FraudDecision> out = decisions.readRecord();
        assertThat(out.value().getPaymentId()).isEqualTo(paymentId("p-31"));
        assertThat(out.headers().lastHeader(DeadLetterHeaders.REDRIVE_TARGET_GROUP)).isNull();
        assertThat(new String(out.headers().lastHeader(TraceHeaders.TRACE_ID).value(), StandardCharsets.UTF_8))
                .isEqualTo("trace-31");
    }

    @Test
    void aPaymentThatBreaksThePlatformsRulesIsRejectedAndCountsTowardNoLimit() {
        // Given (limit: 2 payments a minute) payments that payment intake would have refused, from ivan
        PaymentInitiated fourLetterCurrency = payment("p-40", "ivan", 1, "USDX", T0);
        PaymentInitiated nulInDestination = PaymentInitiated.newBuilder(payment("p-41", "ivan", 1, "USD", T0))
                .setDestinationAccountId("merchant\u0000").build();
        PaymentInitiated fromYear9999 = payment("p-42", "ivan", 1, "USD", Instant.parse("9999-12-31T23:59:59Z"));

        // When they arrive, then two valid payments two minutes later (a window from year 9999 would count
        // them with the forged one: three, over the limit)
        initiated.pipeInput("ivan", fourLetterCurrency);
        initiated.pipeInput("ivan", nulInDestination);
        initiated.pipeInput("ivan", fromYear9999);
        driver.advanceWallClockTime(Duration.ofMinutes(2));
        initiated.pipeInput("ivan", payment("p-43", "ivan", 1, "USD", T0.plus(Duration.ofMinutes(62))));
        initiated.pipeInput("ivan", payment("p-44", "ivan", 1, "USD", T0.plus(Duration.ofMinutes(62)).plusSeconds(1)));

        // Then the invalid ones are rejected as such, and neither they nor the payment from the future hold
        // the account in a window: the valid payment after them is approved
        assertThat(decisions.readValuesToList()).extracting(FraudDecision::getPaymentId, FraudDecision::getVerdict,
                        FraudDecision::getReasons)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(paymentId("p-40"), FraudVerdict.REJECTED, List.of("INVALID_PAYMENT")),
                        org.assertj.core.groups.Tuple.tuple(paymentId("p-41"), FraudVerdict.REJECTED, List.of("INVALID_PAYMENT")),
                        org.assertj.core.groups.Tuple.tuple(paymentId("p-42"), FraudVerdict.APPROVED, List.of()),
                        org.assertj.core.groups.Tuple.tuple(paymentId("p-43"), FraudVerdict.APPROVED, List.of()),
                        org.assertj.core.groups.Tuple.tuple(paymentId("p-44"), FraudVerdict.APPROVED, List.of()));
    }

    private static RecordHeaders redrivenFor(String group) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.REDRIVE_TARGET_GROUP, group.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private FraudDecision storedDecision(String paymentId) {
        WindowStore<String, FraudDecision> store = driver.getWindowStore(FraudTopology.DECISION_STORE);
        try (WindowStoreIterator<FraudDecision> found = store.fetch(paymentId, 0L, Long.MAX_VALUE)) {
            return found.hasNext() ? found.next().value : null;
        }
    }

    /** Payment IDs are UUIDs; the tests name them "p-1", "p-2", ... */
    private static String paymentId(String label) {
        return UUID.nameUUIDFromBytes(label.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static PaymentInitiated payment(String id, String from, long amountMinor, String currency, Instant at) {
        return PaymentInitiated.newBuilder().setEventId("e-" + id).setOccurredAt(at).setPaymentId(paymentId(id))
                .setSourceAccountId(from).setDestinationAccountId("merchant").setAmountMinor(amountMinor)
                .setCurrency(currency).setReference(null).build();
    }
}
