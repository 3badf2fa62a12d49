package io.payledger.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payledger.schemas.topic.DeadLetterHeaders;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;

/**
 * The record listeners' error handling in a real Spring Kafka container on a real broker, set up as the
 * services set up theirs: an unexpected failure holds its partition for a bounded number of attempts and
 * is then dead-lettered; a transient one is retried until it passes, never dead-lettered.
 */
class FailClosedErrorHandlingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());
    private final KafkaSettings settings = new KafkaSettings(SharedInfrastructure.kafkaBootstrapServers(), null, 1,
            (short) 1, null, null, null);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> processed = new CopyOnWriteArrayList<>();
    private final String group = "fail-closed-test-" + UUID.randomUUID();
    private final String topic = "fail-closed-test-" + UUID.randomUUID();
    private Producer<byte[], byte[]> deadLetterProducer;
    private ConcurrentMessageListenerContainer<byte[], byte[]> container;

    @BeforeEach
    void aTopicWithOnePartition() {
        kafka.createTopics(1, topic, DeadLetterPublisher.deadLetterTopicOf(topic));
        deadLetterProducer = new KafkaProducer<>(settings.producerConfig(group + ".dead-letters"));
    }

    @AfterEach
    void stop() {
        if (container != null) {
            container.stop();
        }
        deadLetterProducer.close();
        kafka.close();
    }

    @Test
    void anUnexpectedFailureIsDeadLetteredAfterItsAttemptsAndTheRecordsBehindItAreProcessed() {
        // Given a listener that fails on one record every time, in a way nobody foresaw
        AtomicInteger attempts = new AtomicInteger();
        start(record -> {
            if (value(record).equals("bomb")) {
                attempts.incrementAndGet();
                throw new IllegalStateException("no rule foresaw this");
            }
            processed.add(value(record));
        });

        // When it arrives, with a good record behind it
        send("bomb");
        send("after");

        // Then the good one is processed, the failing one was tried a bounded number of times and is a dead letter
        await().atMost(TIMEOUT).until(() -> processed.contains("after"));
        assertThat(attempts.get()).isEqualTo(FailClosedErrorHandling.ATTEMPTS_BEFORE_DEAD_LETTER);
        List<ConsumerRecord<byte[], byte[]>> dead =
                kafka.readUntil(DeadLetterPublisher.deadLetterTopicOf(topic), r -> !r.isEmpty(), TIMEOUT);
        assertThat(dead).singleElement().satisfies(record -> {
            assertThat(value(record)).isEqualTo("bomb");
            assertThat(KafkaTestClient.header(record, DeadLetterHeaders.ERROR_MESSAGE)).contains("no rule foresaw this");
            assertThat(KafkaTestClient.header(record, DeadLetterHeaders.ERROR_CLASS))
                    .contains(IllegalStateException.class.getName());
            assertThat(KafkaTestClient.header(record, DeadLetterHeaders.CONSUMER_GROUP)).contains(group);
        });
        // And every failed attempt was counted
        assertThat(failedAttempts()).isEqualTo(FailClosedErrorHandling.ATTEMPTS_BEFORE_DEAD_LETTER);
    }

    @Test
    void aTransientFailureIsRetriedPastTheAttemptsOfAnUnexpectedOneAndNeverDeadLettered() {
        // Given a listener whose database is away for the first five attempts at a record
        AtomicInteger attempts = new AtomicInteger();
        start(record -> {
            if (attempts.incrementAndGet() <= 5) {
                throw new RetryLaterException("the database is away", null);
            }
            processed.add(value(record));
        });

        // When the record arrives
        send("payment");

        // Then it waits through every failure and is processed once the database is back; nothing is dead-lettered
        await().atMost(TIMEOUT).until(() -> processed.contains("payment"));
        assertThat(attempts.get()).isEqualTo(6);
        assertThat(failedAttempts()).isEqualTo(5);
        assertThat(kafka.readAll(DeadLetterPublisher.deadLetterTopicOf(topic))).isEmpty();
    }

    private void start(MessageListener<byte[], byte[]> listener) {
        ContainerProperties properties = new ContainerProperties(topic);
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setMessageListener(listener);
        container = new ConcurrentMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(settings.consumerConfig(group, 500)), properties);
        container.setCommonErrorHandler(FailClosedErrorHandling.deadLetterAfterAttempts(group,
                new DeadLetterPublisher(deadLetterProducer, group, meters), meters));
        container.start();
    }

    private double failedAttempts() {
        return meters.counter("payledger.consumer.failed.attempts", "group", group, "topic", topic).count();
    }

    private void send(String value) {
        kafka.send(topic, "key", value.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static String value(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }
}
