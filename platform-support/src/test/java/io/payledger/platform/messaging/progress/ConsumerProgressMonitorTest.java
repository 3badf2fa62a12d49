package io.payledger.platform.messaging.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import io.payledger.testsupport.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/** The monitor against a real broker: what committed and end offsets say, and what they do not. */
class ConsumerProgressMonitorTest {

    private static final Duration THRESHOLD = Duration.ofMinutes(2);

    private final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final String topic = "progress-" + UUID.randomUUID();
    private final String group = "progress-group-" + UUID.randomUUID();
    private ConsumerProgressMonitor monitor;

    @AfterEach
    void closeMonitor() {
        if (monitor != null) {
            monitor.close();
        }
    }

    @Test
    void aGroupPastTheLastRecordOfATransactionIsCaughtUpThoughTheCommitMarkerFollowsIt() throws Exception {
        // Given three records written in one transaction, and the group committed one past the last of them,
        // as a listener container commits
        createTopic(1);
        write(Map.of(0, 3), "progress-test-" + UUID.randomUUID());
        commit(Map.of(0, 3L));
        monitor = monitorOf(SharedInfrastructure.kafkaBootstrapServers());

        // When the monitor checks, and checks again after longer than the stall threshold
        monitor.check();
        clock.advance(THRESHOLD.plusMinutes(1));
        monitor.check();

        // Then nothing waits and nothing is stalled, though the end offset lies past the marker
        assertThat(endOffset(0)).isEqualTo(4);
        assertThat(lag(0)).isZero();
        assertThat(monitor.progress().stalled()).isEmpty();
        assertThat(new ConsumerProgressHealthIndicator(monitor.progress()).health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void recordsWaitingWhereTheCommittedOffsetStandsStillStallThePartition() {
        // Given one partition with records past the group's committed offset, and one the group never committed on
        createTopic(2);
        write(Map.of(0, 3, 1, 2), null);
        commit(Map.of(0, 1L));
        monitor = monitorOf(SharedInfrastructure.kafkaBootstrapServers());

        // When neither moves for longer than the threshold
        monitor.check();
        clock.advance(THRESHOLD.plusSeconds(1));
        monitor.check();

        // Then both are stalled, with their lag from the committed offset (or the log start)
        assertThat(lag(0)).isEqualTo(2.0);
        assertThat(lag(1)).isEqualTo(2.0);
        assertThat(meters.get(ConsumerProgressMonitor.STALLED).tags("group", group, "topic", topic, "partition", "0")
                .gauge().value()).isEqualTo(1.0);
        assertThat(monitor.progress().stalled()).extracting(p -> p.partition().partition()).containsExactly(0, 1);
        assertThat(monitor.progress().stalled().get(1).committedOffset()).isEqualTo(ConsumerProgress.NO_COMMITTED_OFFSET);
        assertThat(new ConsumerProgressHealthIndicator(monitor.progress()).health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void aGroupSubscribedByPatternIsWatchedOnEveryMatchingTopicThoseCreatedLaterIncluded() {
        // Given a group subscribed by pattern, with records waiting on one matching topic
        String prefix = "progress-pattern-" + UUID.randomUUID().toString().substring(0, 8);
        String first = prefix + ".one";
        String later = prefix + ".two";
        String notMatching = prefix + ".one.dlt";
        try (KafkaTestClient client = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers())) {
            client.createTopics(1, first, notMatching);
            client.send(first, "k", new byte[] {1});
            client.send(notMatching, "k", new byte[] {1});
        }
        monitor = new ConsumerProgressMonitor(
                new KafkaSettings(SharedInfrastructure.kafkaBootstrapServers(), null, 1, (short) 1, null, null, null),
                new ConsumerProgressSettings(Duration.ofSeconds(1), THRESHOLD),
                List.of(ConsumedTopics.matching(group, java.util.regex.Pattern.compile(
                        java.util.regex.Pattern.quote(prefix + ".") + "[a-z]+"))), meters, clock);
        monitor.check();

        // When a second matching topic appears with a record on it, and nothing moves past the threshold
        try (KafkaTestClient client = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers())) {
            client.createTopics(1, later);
            client.send(later, "k", new byte[] {1});
        }
        monitor.check();
        clock.advance(THRESHOLD.plusSeconds(1));
        monitor.check();

        // Then both matching topics are watched and stalled, and the one that does not match is not watched
        assertThat(monitor.progress().stalled()).extracting(p -> p.partition().topic()).containsExactly(first, later);
        assertThat(meters.find(ConsumerProgressMonitor.COMMITTED_LAG).tag("topic", notMatching).gauge()).isNull();
        assertThat(meters.get(ConsumerProgressMonitor.COMMITTED_LAG).tag("topic", later).gauge().value()).isEqualTo(1.0);
    }

    @Test
    void aBrokerThatCannotBeReachedMakesProgressUnknownAndBreaksNothing() {
        // Given a monitor of a cluster nobody listens for (port 1)
        monitor = monitorOf("localhost:1");

        // When it checks
        assertThatCode(monitor::check).doesNotThrowAnyException();

        // Then the failure is counted and reported, and health claims neither UP nor DOWN
        assertThat(meters.get(ConsumerProgressMonitor.CHECK_FAILURES).counter().count()).isEqualTo(1.0);
        assertThat(monitor.progress().failure()).isPresent();
        assertThat(new ConsumerProgressHealthIndicator(monitor.progress()).health().getStatus())
                .isEqualTo(Status.UNKNOWN);
    }

    private ConsumerProgressMonitor monitorOf(String bootstrapServers) {
        KafkaSettings kafka = new KafkaSettings(bootstrapServers, null, 1, (short) 1, null, null, null);
        return new ConsumerProgressMonitor(kafka, new ConsumerProgressSettings(Duration.ofSeconds(1), THRESHOLD),
                List.of(new ConsumedTopics(group, topic)), meters, clock);
    }

    private double lag(int partition) {
        return meters.get(ConsumerProgressMonitor.COMMITTED_LAG)
                .tags("group", group, "topic", topic, "partition", Integer.toString(partition)).gauge().value();
    }

    private void createTopic(int partitions) {
        try (KafkaTestClient client = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers())) {
            client.createTopics(partitions, topic);
        }
    }

    /** Writes so many records to each partition; in one transaction if a transactional ID is given. */
    private void write(Map<Integer, Integer> recordsPerPartition, String transactionalId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            if (transactionalId != null) {
                producer.initTransactions();
                producer.beginTransaction();
            }
            recordsPerPartition.forEach((partition, records) -> {
                for (int i = 0; i < records; i++) {
                    producer.send(new ProducerRecord<>(topic, partition, null,
                            ("record-" + i).getBytes(StandardCharsets.UTF_8)));
                }
            });
            if (transactionalId != null) {
                producer.commitTransaction();
            }
            producer.flush();
        }
    }

    private void commit(Map<Integer, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        offsets.forEach((partition, offset) -> committed.put(new TopicPartition(topic, partition),
                new OffsetAndMetadata(offset)));
        try (Admin admin = admin()) {
            admin.alterConsumerGroupOffsets(group, committed).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not commit offsets of " + group, e);
        }
    }

    private long endOffset(int partition) throws Exception {
        try (Admin admin = admin()) {
            TopicPartition topicPartition = new TopicPartition(topic, partition);
            return admin.listOffsets(Map.of(topicPartition, OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS)
                    .get(topicPartition).offset();
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers()));
    }
}
