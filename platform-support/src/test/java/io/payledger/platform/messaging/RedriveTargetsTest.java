package io.payledger.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;

/**
 * Redrive targeting in real Spring Kafka listener containers on a real broker, set up as the services
 * set up theirs: a record redriven for another group is not processed, and its offset is committed.
 */
class RedriveTargetsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());
    private final KafkaSettings settings = new KafkaSettings(SharedInfrastructure.kafkaBootstrapServers(), null, 1,
            (short) 1, null, null, null);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> processed = new CopyOnWriteArrayList<>();
    private final String group = "redrive-test-" + UUID.randomUUID();
    private final String topic = "redrive-test-" + UUID.randomUUID();
    private ConcurrentMessageListenerContainer<byte[], byte[]> container;

    @BeforeEach
    void aTopicWithOnePartition() {
        kafka.createTopics(1, topic);
    }

    @AfterEach
    void stop() {
        if (container != null) {
            container.stop();
        }
        kafka.close();
    }

    @Test
    void aRecordListenerSkipsRecordsRedrivenForAnotherGroupAndCommitsTheirOffsets() throws Exception {
        // Given a record redriven for another group, one for this group, one for every group, and another
        // for another group last, so the committed offset shows whether it was acknowledged
        send("for-another", "some-other-group");
        send("for-us", group);
        send("for-everyone", null);
        send("for-another-too", "some-other-group");

        // When a record listener's container with the redrive targets of this group reads them
        MessageListener<byte[], byte[]> listener = record -> processed.add(value(record));
        start(listener, container -> container.setRecordInterceptor(redriveTargets().recordInterceptor()));

        // Then it processes only what is meant for it, and commits past everything
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(committed()).isEqualTo(4));
        assertThat(processed).containsExactly("for-us", "for-everyone");
        assertThat(skippedCount()).isEqualTo(2);
    }

    @Test
    void aBatchListenerGetsTheBatchWithoutRecordsRedrivenForAnotherGroupAndCommitsThemAll() throws Exception {
        // Given only a record redriven for another group
        send("for-another", "some-other-group");

        // When a batch listener's container with the redrive targets of this group reads it
        BatchMessageListener<byte[], byte[]> listener = records -> records.forEach(r -> processed.add(value(r)));
        start(listener, container -> container.setBatchInterceptor(redriveTargets().batchInterceptor()));

        // Then the listener is not called, and the offset is committed past it
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(committed()).isEqualTo(1));
        assertThat(processed).isEmpty();

        // And when records for this group, another and every group follow
        send("for-us", group);
        send("for-another-too", "some-other-group");
        send("for-everyone", null);

        // Then it processes those meant for it, and commits past all of them
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(committed()).isEqualTo(4));
        assertThat(processed).containsExactly("for-us", "for-everyone");
        assertThat(skippedCount()).isEqualTo(2);
    }

    private RedriveTargets redriveTargets() {
        return new RedriveTargets(group, meters);
    }

    private void start(Object listener,
                       Consumer<ConcurrentMessageListenerContainer<byte[], byte[]>> interceptor) {
        ContainerProperties properties = new ContainerProperties(topic);
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setMessageListener(listener);
        container = new ConcurrentMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(settings.consumerConfig(group, 500)), properties);
        container.setCommonErrorHandler(FailClosedErrorHandling.retryForever(group, meters));
        interceptor.accept(container);
        container.start();
    }

    private void send(String value, String targetGroup) {
        kafka.send(topic, "key", value.getBytes(StandardCharsets.UTF_8),
                targetGroup == null ? Map.of() : Map.of(DeadLetterHeaders.REDRIVE_TARGET_GROUP, targetGroup));
    }

    private static String value(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    private long committed() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
            return offset == null ? 0 : offset.offset();
        }
    }

    private double skippedCount() {
        Counter skipped = meters.find("payledger.redrive.skipped").tags("topic", topic, "group", group).counter();
        return skipped == null ? 0 : skipped.count();
    }
}
