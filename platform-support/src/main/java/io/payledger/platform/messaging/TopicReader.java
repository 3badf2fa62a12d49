package io.payledger.platform.messaging;

import io.payledger.schemas.serde.SchemaRegistryUnavailableException;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes the raw records of one topic. Listeners consume bytes and decode here, so a record that
 * does not decode is still in hand, as its original bytes, to go to the dead-letter topic.
 */
public final class TopicReader<V> {

    private final Topic<String, V> topic;
    private final Deserializer<V> values;

    public TopicReader(Topic<String, V> topic, SerdeSettings settings) {
        this.topic = topic;
        this.values = topic.valueSerde(settings).deserializer();
    }

    public Topic<String, V> topic() {
        return topic;
    }

    /**
     * The record's value, or a {@link PoisonRecordException} saying why it has none. A schema registry
     * that cannot be asked is no fault of the record: that failure propagates, and the listener's
     * fail-closed error handling retries the record until the registry answers.
     */
    public V value(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            throw new PoisonRecordException("record on " + topic + " has no value");
        }
        try {
            return values.deserialize(record.topic(), record.headers(), record.value());
        } catch (SchemaRegistryUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PoisonRecordException("value on " + topic + " does not decode: " + e.getMessage(), e);
        }
    }
}
