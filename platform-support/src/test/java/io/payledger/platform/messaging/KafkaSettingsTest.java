package io.payledger.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {

    @Test
    void consumersLeaveAKilledMembersPartitionsAfterTenSecondsRatherThanKafkasFortyFive() {
        // Given settings that say nothing about sessions
        KafkaSettings settings = new KafkaSettings("localhost:9092", null, 0, (short) 0, null, Map.of(), Map.of());

        // When a listener's and a Streams application's consumers are configured
        Map<String, Object> listener = settings.consumerConfig("group", 500);
        Map<String, Object> streams = settings.streamsConfig();

        // Then both hold a 10 s session
        assertThat(listener).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        assertThat(streams).containsEntry("consumer." + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    }

    @Test
    void aConfiguredSessionTimeoutWins() {
        // Given payledger.kafka.consumer[session.timeout.ms]=30000
        KafkaSettings settings = new KafkaSettings("localhost:9092", null, 0, (short) 0, null,
                Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000"), Map.of());

        // When consumers are configured, then theirs is the configured one
        assertThat(settings.consumerConfig("group", 500)).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
        assertThat(settings.streamsConfig()).containsEntry("consumer." + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
    }

    @Test
    void aSessionTimeoutSetForEveryClientWinsOverThePlatformsDefault(@TempDir Path directory) throws IOException {
        // Given a KAFKA_CLIENT_CONFIG file that sets the session timeout for every client
        Path clientConfig = Files.writeString(directory.resolve("client.properties"), "session.timeout.ms=45000\n");
        KafkaSettings settings = new KafkaSettings("localhost:9092", null, 0, (short) 0, null, Map.of(), Map.of(),
                Map.of(), clientConfig.toString());

        // When a listener's, a reader's and a Streams application's consumers are configured
        Map<String, Object> listener = settings.consumerConfig("group", 500);
        Map<String, Object> reader = settings.readerConfig("reader", 500);
        Map<String, Object> streams = settings.streamsConfig();

        // Then theirs is the file's, not the platform's 10 s (for Streams, the unprefixed setting is left to apply)
        assertThat(listener).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "45000");
        assertThat(reader).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "45000");
        assertThat(streams).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "45000")
                .doesNotContainKey("consumer." + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
    }
}
