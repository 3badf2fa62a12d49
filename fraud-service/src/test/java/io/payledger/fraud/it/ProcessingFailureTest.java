package io.payledger.fraud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payledger.fraud.messaging.DeadLetteringDeserializationHandler;
import io.payledger.fraud.messaging.DeadLetteringProcessingHandler;
import io.payledger.fraud.messaging.FraudStreams;
import io.payledger.fraud.messaging.StreamThreadFailurePolicy;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.schemas.topic.DeadLetterHeaders;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * fraud-service's handling of a record whose processing fails in a way no rule foresaw, on a real
 * broker: it is read again a bounded number of times, then dead-lettered, and the stream goes on.
 */
class ProcessingFailureTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path stateDir;

    private final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());

    @Test
    void aRecordThatKeepsFailingIsDeadLetteredAfterItsAttemptsAndTheRecordsBehindItAreProcessed() throws Exception {
        // Given a stream, configured as fraud-service's, whose processing fails on one value every time
        String topic = "processing-failure-" + UUID.randomUUID();
        kafka.createTopics(1, topic, topic + ".dlt");
        String applicationId = "processing-failure-test-" + UUID.randomUUID();
        List<String> processed = new CopyOnWriteArrayList<>();
        KafkaSettings settings = new KafkaSettings(SharedInfrastructure.kafkaBootstrapServers(), null, 1, (short) 1,
                "lz4", Map.of(), Map.of());
        try (Producer<byte[], byte[]> deadLetterProducer = new KafkaProducer<>(settings.producerConfig(applicationId))) {
            FraudStreams streams = new FraudStreams(topologyFailingOn(topic, "bomb", processed),
                    config(applicationId, new DeadLetterPublisher(deadLetterProducer, applicationId,
                            new SimpleMeterRegistry())),
                    new StreamThreadFailurePolicy(3, Duration.ofMinutes(5), Clock.systemUTC()), new SimpleMeterRegistry());
            streams.start();
            try {
                // When the failing value arrives, and a good one behind it
                kafka.send(topic, "alice", "bomb".getBytes(StandardCharsets.UTF_8));
                kafka.send(topic, "alice", "after".getBytes(StandardCharsets.UTF_8));

                // Then the good one is processed and the failing one is a dead letter naming its error
                // (stream threads die on the way, by design: they are replaced)
                await().dontCatchUncaughtExceptions().atMost(TIMEOUT).until(() -> processed.contains("after"));
                List<ConsumerRecord<byte[], byte[]>> dead = kafka.readUntil(topic + ".dlt", r -> !r.isEmpty(), TIMEOUT);
                assertThat(dead).singleElement().satisfies(record -> {
                    assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("bomb");
                    assertThat(KafkaTestClient.header(record, DeadLetterHeaders.ERROR_MESSAGE))
                            .hasValueSatisfying(message -> assertThat(message).contains("no rule foresaw this"));
                    assertThat(KafkaTestClient.header(record, DeadLetterHeaders.SOURCE_OFFSET)).contains("0");
                });
                // And the client runs on
                assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
                assertThat(processed).doesNotContain("bomb");
            } finally {
                streams.stop();
            }
        } finally {
            kafka.close();
        }
    }

    private static Topology topologyFailingOn(String topic, String failing, List<String> processed) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String()))
                .foreach((key, value) -> {
                    if (failing.equals(value)) {
                        throw new IllegalStateException("no rule foresaw this");
                    }
                    processed.add(value);
                });
        return builder.build();
    }

    private Properties config(String applicationId, DeadLetterPublisher deadLetters) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // A dead stream thread does not leave the group: its replacement waits out the session, so keep it short.
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringDeserializationHandler.class);
        config.put(DeadLetteringDeserializationHandler.DEAD_LETTER_PUBLISHER_CONFIG, deadLetters);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringProcessingHandler.class);
        config.put(DeadLetteringProcessingHandler.ATTEMPTS_CONFIG, new DeadLetteringProcessingHandler.Attempts());
        return config;
    }
}
