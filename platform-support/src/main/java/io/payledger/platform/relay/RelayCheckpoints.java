package io.payledger.platform.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A relay's position, kept in Kafka and written in the same Kafka transaction as the messages it
 * covers (as Kafka Connect keeps exactly-once source offsets), so the position and the published
 * messages can never disagree.
 */
public final class RelayCheckpoints {

    /** Compacted, one partition; key = relay name, value = {@link RelayPosition#encode()}. */
    public static final String TOPIC = "payledger.relay-checkpoints";

    private final Map<String, Object> consumerConfig;

    public RelayCheckpoints(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumerConfig = Map.copyOf(config);
    }

    /** The last committed position of {@code relay}, or {@link RelayPosition#START}. */
    public RelayPosition read(String relay, Duration timeout) {
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            Optional<RelayPosition> last = Optional.empty();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(partition, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading relay checkpoints from " + TOPIC);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && relay.equals(new String(record.key(), StandardCharsets.UTF_8))
                            && record.value() != null) {
                        last = Optional.of(RelayPosition.parse(new String(record.value(), StandardCharsets.UTF_8)));
                    }
                }
            }
            return last.orElse(RelayPosition.START);
        }
    }

    static ProducerRecord<byte[], byte[]> checkpoint(String relay, RelayPosition position) {
        return new ProducerRecord<>(TOPIC, 0, relay.getBytes(StandardCharsets.UTF_8),
                position.encode().getBytes(StandardCharsets.UTF_8));
    }
}
