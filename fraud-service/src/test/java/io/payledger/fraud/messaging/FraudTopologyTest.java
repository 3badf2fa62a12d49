package io.payledger.fraud.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.fraud.domain.FraudRules;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.schemas.topic.TraceHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real topology, driven in-process by Kafka's own test driver. */
class FraudTopologyTest {

    private static final SerdeSettings SERDE = SerdeSettings.singleObjectEncoding();
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, PaymentInitiated> initiated;
    private TestOutputTopic<String, FraudDecision> decisions;

    @BeforeEach
    void start() {
        FraudRules rules = new FraudRules(Map.of("USD", 100_000L), 50_000, 2, Duration.ofMinutes(1));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "fraud-topology-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(FraudTopology.build(rules, SERDE), config);
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
                        org.assertj.core.groups.Tuple.tuple("p-3", FraudVerdict.APPROVED),
                        org.assertj.core.groups.Tuple.tuple("p-4", FraudVerdict.APPROVED),
                        org.assertj.core.groups.Tuple.tuple("p-5", FraudVerdict.REJECTED),
                        org.assertj.core.groups.Tuple.tuple("p-6", FraudVerdict.APPROVED));
    }

    @Test
    void theSamePaymentAlwaysGetsTheSameDecisionEventId() {
        initiated.pipeInput("carol", payment("p-7", "carol", 1, "USD", T0));
        initiated.pipeInput("carol", payment("p-7", "carol", 1, "USD", T0));

        var both = decisions.readValuesToList();
        assertThat(both.get(0).getEventId()).isEqualTo(both.get(1).getEventId());
    }

    private static PaymentInitiated payment(String id, String from, long amountMinor, String currency, Instant at) {
        return PaymentInitiated.newBuilder().setEventId("e-" + id).setOccurredAt(at).setPaymentId(id)
                .setSourceAccountId(from).setDestinationAccountId("merchant").setAmountMinor(amountMinor)
                .setCurrency(currency).setReference(null).build();
    }
}
