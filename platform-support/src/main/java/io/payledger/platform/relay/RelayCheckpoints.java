package io.payledger.platform.relay;

import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.schemas.topic.TopicEnd;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A relay's position, kept in Kafka and written in the same Kafka transaction as the messages it
 * covers (as Kafka Connect keeps exactly-once source offsets), so the position and the published
 * messages can never disagree.
 *
 * <p>Each relay has a topic of its own. A {@code read_committed} reader stops at the first open
 * transaction on a partition, so on a shared partition another relay's open (or crashed) transaction
 * would hide this relay's newest checkpoints and it would resume too early, publishing twice. On its
 * own topic, the only open transaction could be this relay's, and {@code initTransactions} has ended
 * it before the checkpoint is read.
 */
public final class RelayCheckpoints {

    private static final String TOPIC_PREFIX = "payledger.relay-checkpoints.";
    /** Compaction never touches the active segment: roll it often so a restart reads little. */
    private static final String SEGMENT_MS = Long.toString(Duration.ofMinutes(10).toMillis());

    private final String relay;
    private final TopicPartition partition;
    private final Map<String, Object> readerConfig;
    private final Map<String, Object> adminConfig;

    public RelayCheckpoints(KafkaSettings kafka, String relay) {
        this.relay = relay;
        this.partition = new TopicPartition(topicOf(relay), 0);
        // The platform's reader settings: read_committed, no group, every client-wide setting.
        this.readerConfig = Map.copyOf(kafka.readerConfig(relay + ".checkpoints", 500));
        this.adminConfig = Map.copyOf(kafka.adminConfig(relay + ".checkpoints-admin"));
    }

    /** Compacted, one partition; key = relay name, value = {@link RelayPosition#encode()}. */
    public static String topicOf(String relay) {
        return TOPIC_PREFIX + relay;
    }

    public String topic() {
        return partition.topic();
    }

    /** Creates the relay's checkpoint topic unless it exists. */
    public void ensureTopic(short replicationFactor, Duration timeout) throws InterruptedException {
        try (Admin admin = Admin.create(adminConfig)) {
            admin.createTopics(List.of(new NewTopic(topic(), 1, replicationFactor).configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.SEGMENT_MS_CONFIG, SEGMENT_MS))))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create " + topic(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating " + topic(), e);
        }
    }

    /** The last committed position of the relay, or {@link RelayPosition#START}. */
    public RelayPosition read(Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(readerConfig)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            AtomicReference<RelayPosition> last = new AtomicReference<>(RelayPosition.START);
            TopicEnd.readToEnd(consumer, List.of(partition), timeout, record -> {
                if (record.value() != null) {
                    last.set(RelayPosition.parse(new String(record.value(), StandardCharsets.UTF_8)));
                }
            });
            return last.get();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("timed out reading relay checkpoints from " + topic(), e);
        }
    }

    ProducerRecord<byte[], byte[]> checkpoint(RelayPosition position) {
        return new ProducerRecord<>(topic(), 0, relay.getBytes(StandardCharsets.UTF_8),
                position.encode().getBytes(StandardCharsets.UTF_8));
    }
}
