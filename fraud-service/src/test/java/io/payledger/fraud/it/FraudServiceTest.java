package io.payledger.fraud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.DeadLetters;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaClientRecorder;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** fraud-service as deployed: Kafka Streams with exactly-once processing on a real broker. */
@FraudIntegrationTest
@TestPropertySource(properties = {"payledger.fraud.limits-minor.USD=100000",
        "payledger.kafka.client[metadata.max.age.ms]=" + FraudServiceTest.MARKER,
        "payledger.kafka.client[metric.reporters]=io.payledger.testsupport.KafkaClientRecorder"})
class FraudServiceTest {

    /** A setting every kind of client knows (Streams passes each client only the settings it knows). */
    static final String MARKER = "299998";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final SerdeSettings SERDE = SerdeSettings.singleObjectEncoding();
    private static final Deserializer<FraudDecision> DECISIONS = Topics.FRAUD_DECISIONS.valueSerde(SERDE).deserializer();

    @DynamicPropertySource
    static void stateDirectory(DynamicPropertyRegistry registry) {
        registry.add("payledger.fraud.state-dir", () -> System.getProperty("java.io.tmpdir") + "/fraud-test-"
                + UUID.randomUUID());
    }

    @LocalManagementPort
    int managementPort;

    private final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());

    @Test
    void aClientWideSettingReachesEveryKafkaClientOfTheStreamsAppAndTheService() {
        // Given fraud-service started with a marker client setting
        // Then Kafka Streams' consumers, producer and admin carry it, and so do the service's own clients
        Map<String, Predicate<Map<String, Object>>> kinds = Map.of(
                "the stream's consumer", client -> "fraud-service".equals(client.get("group.id")),
                "the stream's restore consumer", clientIdEndingWith("-restore-consumer"),
                "the stream's producer", clientIdEndingWith("-producer"),
                "the stream's admin", clientIdEndingWith("-admin"),
                "the dead-letter producer", client -> "fraud-service.dead-letters".equals(client.get("client.id")),
                "the progress monitor", client -> "fraud-service.consumer-progress".equals(client.get("client.id")));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<Map<String, Object>> marked = KafkaClientRecorder.clients().stream()
                    .filter(client -> MARKER.equals(String.valueOf(client.get("metadata.max.age.ms")))).toList();
            kinds.forEach((kind, isKind) -> assertThat(marked).as(kind).anyMatch(isKind));
        });
    }

    private static Predicate<Map<String, Object>> clientIdEndingWith(String suffix) {
        return client -> String.valueOf(client.get("client.id")).endsWith(suffix);
    }

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

        // And the service reports itself healthy, on its management port
        HttpApi.Response health = new HttpApi("http://localhost:" + managementPort).get("/actuator/health");
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
