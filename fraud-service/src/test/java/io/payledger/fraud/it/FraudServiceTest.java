package io.payledger.fraud.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.DeadLetters;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** fraud-service as deployed: Kafka Streams with exactly-once processing on a real broker. */
@FraudIntegrationTest
@TestPropertySource(properties = "payledger.fraud.limits-minor.USD=100000")
class FraudServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final SerdeSettings SERDE = SerdeSettings.singleObjectEncoding();
    private static final Deserializer<FraudDecision> DECISIONS = Topics.FRAUD_DECISIONS.valueSerde(SERDE).deserializer();

    @DynamicPropertySource
    static void stateDirectory(DynamicPropertyRegistry registry) {
        registry.add("payledger.fraud.state-dir", () -> System.getProperty("java.io.tmpdir") + "/fraud-test-"
                + UUID.randomUUID());
    }

    @LocalServerPort
    int port;

    private final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());

    @Test
    void decidesEveryPaymentAndDeadLettersPoisonWithoutStopping() {
        // Given a payment under the limit, poison, and a payment over the limit, on one partition
        String under = UUID.randomUUID().toString();
        String over = UUID.randomUUID().toString();
        byte[] garbage = ("poison " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        send(payment(under, "dana", 100_000));
        kafka.send(Topics.PAYMENTS_INITIATED.name(), "dana", garbage);
        send(payment(over, "dana", 100_001));

        // Then both payments are decided, in order, and the poison is on the dead-letter topic
        List<FraudDecision> decisions = kafka.readUntil(Topics.FRAUD_DECISIONS.name(),
                        records -> decided(records).containsAll(List.of(under, over)), TIMEOUT).stream()
                .map(r -> DECISIONS.deserialize(r.topic(), r.value()))
                .filter(d -> d.getPaymentId().equals(under) || d.getPaymentId().equals(over)).toList();
        assertThat(decisions).extracting(FraudDecision::getPaymentId, FraudDecision::getVerdict).containsExactly(
                org.assertj.core.groups.Tuple.tuple(under, FraudVerdict.APPROVED),
                org.assertj.core.groups.Tuple.tuple(over, FraudVerdict.REJECTED));
        DeadLetters.awaitDeadLetter(kafka, Topics.PAYMENTS_INITIATED, garbage, "fraud-service", TIMEOUT);

        // And the service reports itself healthy
        HttpApi.Response health = new HttpApi("http://localhost:" + port).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
    }

    private void send(PaymentInitiated payment) {
        kafka.send(Topics.PAYMENTS_INITIATED.name(), payment.getSourceAccountId(),
                Topics.PAYMENTS_INITIATED.valueSerde(SERDE).serializer().serialize("t", payment));
    }

    private static List<String> decided(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> DECISIONS.deserialize(r.topic(), r.value()).getPaymentId()).toList();
    }

    private static PaymentInitiated payment(String id, String from, long amountMinor) {
        return PaymentInitiated.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setPaymentId(id).setSourceAccountId(from).setDestinationAccountId("merchant").setAmountMinor(amountMinor)
                .setCurrency("USD").setReference(null).build();
    }
}
