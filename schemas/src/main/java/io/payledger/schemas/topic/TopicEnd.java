package io.payledger.schemas.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic to its end: every record up to the end offsets seen when reading starts. With a
 * {@code read_committed} consumer ({@link #readCommittedConsumerConfig}) the end is the last stable
 * offset, so what is read is exactly what was committed by then; records written later are not waited for.
 */
public final class TopicEnd {

    private static final Duration POLL = Duration.ofMillis(100);

    private TopicEnd() {
    }

    /**
     * A consumer config for reading raw bytes of committed records only, without a group's offsets
     * being committed.
     */
    public static Map<String, Object> readCommittedConsumerConfig(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    /** Every partition of {@code topic}. */
    public static List<TopicPartition> partitions(Consumer<?, ?> consumer, String topic, Duration timeout) {
        return consumer.partitionsFor(topic, timeout).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    /**
     * Every record of {@code topic} from the beginning to its end: assigns the consumer all the topic's
     * partitions (replacing its assignment) and reads them from the beginning.
     *
     * @throws TimeoutException if the end is not reached within {@code timeout}
     */
    public static <K, V> List<ConsumerRecord<K, V>> readAll(Consumer<K, V> consumer, String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<TopicPartition> partitions = partitions(consumer, topic, timeout);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        readToEnd(consumer, partitions, remaining(deadline, topic), records::add);
        return records;
    }

    /**
     * Hands {@code sink} every record of the assigned {@code partitions} from the consumer's current
     * positions to the end offsets they have now (records past those are not handed on), in offset
     * order per partition.
     *
     * @throws TimeoutException if the end is not reached within {@code timeout}
     */
    public static <K, V> void readToEnd(Consumer<K, V> consumer, Collection<TopicPartition> partitions,
                                        Duration timeout, java.util.function.Consumer<? super ConsumerRecord<K, V>> sink) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String what = partitions.toString();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        for (TopicPartition partition : partitions) {
            while (consumer.position(partition, remaining(deadline, what)) < end.get(partition)) {
                remaining(deadline, what);
                for (ConsumerRecord<K, V> record : consumer.poll(POLL)) {
                    Long stop = end.get(new TopicPartition(record.topic(), record.partition()));
                    if (stop != null && record.offset() < stop) {
                        sink.accept(record);
                    }
                }
            }
        }
    }

    private static Duration remaining(long deadline, String what) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new TimeoutException("timed out reading " + what + " to its end");
        }
        return Duration.ofNanos(left);
    }
}
