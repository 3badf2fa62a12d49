package io.payledger.fraud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payledger.fraud.messaging.DeadLetteringDeserializationHandler;
import io.payledger.fraud.messaging.FraudStreams;
import io.payledger.fraud.messaging.StreamThreadFailurePolicy;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fraud-service's failure handling on a real broker: a record that cannot be read because the schema
 * registry is down is retried, never dead-lettered, and a failure that does not pass stops the client
 * (state ERROR, so the health check reports DOWN) instead of replacing stream threads forever.
 */
class StreamThreadFailureTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final URI REGISTRY_THAT_IS_DOWN = URI.create("http://localhost:1");

    @TempDir
    Path stateDir;

    private final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());

    @Test
    void aRecordUnreadableWhileTheRegistryIsDownIsRetriedNotDeadLetteredUntilTheClientStops() throws Exception {
        // Given a stream whose values need a registry that is down, dead-lettering as fraud-service does, and a
        // policy that replaces a failed thread once within five minutes
        String topic = "registry-down-" + UUID.randomUUID();
        kafka.createTopics(1, topic, topic + ".dlt");
        String applicationId = "stream-thread-failure-test-" + UUID.randomUUID();
        KafkaSettings settings = new KafkaSettings(SharedInfrastructure.kafkaBootstrapServers(), null, 1, (short) 1,
                "lz4", Map.of(), Map.of());
        try (Producer<byte[], byte[]> deadLetterProducer = new KafkaProducer<>(settings.producerConfig(applicationId))) {
            FraudStreams streams = new FraudStreams(topologyReading(topic),
                    config(applicationId, new DeadLetterPublisher(deadLetterProducer, applicationId, new SimpleMeterRegistry())),
                    new StreamThreadFailurePolicy(1, Duration.ofMinutes(5), Clock.systemUTC()), new SimpleMeterRegistry());
            streams.start();
            try {
                // When a value in Confluent framing (schema ID 1) arrives
                kafka.send(topic, "alice", new byte[] {0x00, 0, 0, 0, 1, 2, 3});

                // Then the thread fails on it, its replacement reads it again and fails too, and the client stops
                awaitState(streams, KafkaStreams.State.ERROR);
                // And the record was never dead-lettered: it is not the record's fault
                assertThat(kafka.readAll(topic + ".dlt")).isEmpty();
            } finally {
                streams.stop();
            }
        } finally {
            kafka.close();
        }
    }

    private static Topology topologyReading(String topic) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic, Consumed.with(Serdes.String(),
                        Topics.PAYMENTS_INITIATED.valueSerde(SerdeSettings.confluentRegistry(REGISTRY_THAT_IS_DOWN))))
                .foreach((account, payment) -> { });
        return builder.build();
    }

    private Properties config(String applicationId, DeadLetterPublisher deadLetters) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // A dead stream thread does not leave the group: its replacement waits out the session, so keep it short.
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringDeserializationHandler.class);
        config.put(DeadLetteringDeserializationHandler.DEAD_LETTER_PUBLISHER_CONFIG, deadLetters);
        return config;
    }

    private static void awaitState(FraudStreams streams, KafkaStreams.State expected) {
        await().atMost(TIMEOUT).until(streams::state, state -> state == expected);
    }
}
