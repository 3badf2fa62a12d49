package io.payledger.ledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.testsupport.KafkaClientRecorder;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code payledger.kafka.*} is the one source of Kafka client settings: a client-wide setting given to
 * ledger-service reaches every client it creates (listener, dead letters, the relay's producer and
 * checkpoint reader, topic creation, the progress monitor), as security settings will have to.
 */
@LedgerIntegrationTest
@TestPropertySource(properties = {
        "payledger.kafka.client[metadata.max.age.ms]=" + KafkaClientSettingsTest.MARKER,
        "payledger.kafka.client[metric.reporters]=io.payledger.testsupport.KafkaClientRecorder"})
class KafkaClientSettingsTest {

    /** A setting every kind of client knows (Streams passes each client only the settings it knows). */
    static final String MARKER = "299999";

    @Test
    void aClientWideSettingReachesEveryKafkaClientTheServiceCreates() {
        // Given ledger-service started with a marker client setting
        // Then every kind of client it creates carries it
        Map<String, Predicate<Map<String, Object>>> kinds = Map.of(
                "the listener's consumer", client -> "ledger-service".equals(client.get("group.id")),
                "the dead-letter producer", clientId("ledger-service.dead-letters"),
                "the relay's transactional producer", client -> client.containsKey("transactional.id"),
                "the relay's checkpoint reader", clientId("ledger-service.events.checkpoints"),
                "the relay's checkpoint admin", clientId("ledger-service.events.checkpoints-admin"),
                "topic creation", clientId("topic-creation"),
                "the progress monitor", clientId("ledger-service.consumer-progress"));
        await().atMost(LedgerTestSupport.TIMEOUT).untilAsserted(() -> {
            List<Map<String, Object>> marked = KafkaClientRecorder.clients().stream()
                    .filter(client -> MARKER.equals(String.valueOf(client.get("metadata.max.age.ms")))).toList();
            kinds.forEach((kind, isKind) -> assertThat(marked).as(kind).anyMatch(isKind));
        });
    }

    private static Predicate<Map<String, Object>> clientId(String clientId) {
        return client -> clientId.equals(client.get("client.id"));
    }
}
