package io.payledger.platform.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.schemas.topic.DeadLetterHeaders;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Which records one consumer group processes: a redriven record names the group that dead-lettered it
 * ({@link DeadLetterHeaders#REDRIVE_TARGET_GROUP}) and every other group skips it, so each group gets
 * its own dead letter back once and no other group's. Records without the header are for everyone.
 *
 * <p>A skipped record is acknowledged like a processed one (its offset is committed), logged at DEBUG
 * and counted in {@code payledger.redrive.skipped}. It is skipped before it is decoded, so a group never
 * dead-letters a record that was not meant for it.
 */
public final class RedriveTargets {

    private static final Logger log = LoggerFactory.getLogger(RedriveTargets.class);

    private final String consumerGroup;
    private final MeterRegistry meters;

    public RedriveTargets(String consumerGroup, MeterRegistry meters) {
        this.consumerGroup = consumerGroup;
        this.meters = meters;
    }

    /** The group a redriven record is meant for, or null if every group reads it. */
    public static String targetGroup(Headers headers) {
        return RecordLogContext.header(headers, DeadLetterHeaders.REDRIVE_TARGET_GROUP);
    }

    /** A copy of the headers without the redrive target, for whatever a consumer publishes from the record. */
    public static Headers withoutTarget(Headers headers) {
        RecordHeaders copy = new RecordHeaders();
        if (headers != null) {
            headers.forEach(copy::add);
        }
        copy.remove(DeadLetterHeaders.REDRIVE_TARGET_GROUP);
        return copy;
    }

    /** Whether this group processes a record from {@code topic}; if not, the skip is logged and counted. */
    public boolean isForThisGroup(String topic, Headers headers) {
        return isForThisGroup(topic, topic, headers);
    }

    private boolean isForThisGroup(ConsumerRecord<?, ?> record) {
        return isForThisGroup(record.topic(), record.topic() + "-" + record.partition() + "@" + record.offset(),
                record.headers());
    }

    private boolean isForThisGroup(String topic, String where, Headers headers) {
        String target = targetGroup(headers);
        if (target == null || target.equals(consumerGroup)) {
            return true;
        }
        log.debug("Skipping a record on {}: redriven for consumer group {}, not {}", where, target, consumerGroup);
        Counter.builder("payledger.redrive.skipped")
                .description("Redriven records skipped because they were redriven for another consumer group")
                .tag("topic", topic)
                .tag("group", consumerGroup)
                .register(meters)
                .increment();
        return false;
    }

    /**
     * For a record listener's container: returns null for a record redriven for another group, which the
     * container then does not pass to the listener but acknowledges (Spring Kafka acks after the
     * interceptor as after the listener).
     */
    public <K, V> RecordInterceptor<K, V> recordInterceptor() {
        return (record, consumer) -> isForThisGroup(record) ? record : null;
    }

    /**
     * For a batch listener's container: the batch without records redriven for another group, or null
     * if none is left (the listener is then not called). Either way the container acknowledges the whole
     * polled batch, skipped records included.
     */
    public <K, V> BatchInterceptor<K, V> batchInterceptor() {
        return (records, consumer) -> forThisGroup(records);
    }

    private <K, V> ConsumerRecords<K, V> forThisGroup(ConsumerRecords<K, V> records) {
        Map<TopicPartition, List<ConsumerRecord<K, V>>> kept = new LinkedHashMap<>();
        boolean skippedAny = false;
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<K, V> record : records.records(partition)) {
                if (isForThisGroup(record)) {
                    kept.computeIfAbsent(partition, p -> new ArrayList<>()).add(record);
                } else {
                    skippedAny = true;
                }
            }
        }
        if (!skippedAny) {
            return records;
        }
        if (kept.isEmpty()) {
            return null;
        }
        Map<TopicPartition, OffsetAndMetadata> nextOffsets = new LinkedHashMap<>();
        for (Entry<TopicPartition, OffsetAndMetadata> next : records.nextOffsets().entrySet()) {
            if (kept.containsKey(next.getKey())) {
                nextOffsets.put(next.getKey(), next.getValue());
            }
        }
        return new ConsumerRecords<>(kept, nextOffsets);
    }

    /**
     * For a Kafka Streams source: decodes only records for this group and gives null for the rest, before
     * decoding, so a record redriven for another group is neither processed nor dead-lettered here. The
     * processor must treat a null value as nothing to do. (Streams passes the record's headers.)
     */
    public <T> Deserializer<T> skippingDeserializer(Deserializer<T> values) {
        return new Deserializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                values.configure(configs, isKey);
            }

            @Override
            public T deserialize(String topic, byte[] data) {
                return values.deserialize(topic, data);
            }

            @Override
            public T deserialize(String topic, Headers headers, byte[] data) {
                return isForThisGroup(topic, headers) ? values.deserialize(topic, headers, data) : null;
            }

            @Override
            public T deserialize(String topic, Headers headers, ByteBuffer data) {
                return isForThisGroup(topic, headers) ? values.deserialize(topic, headers, data) : null;
            }

            @Override
            public void close() {
                values.close();
            }
        };
    }
}
