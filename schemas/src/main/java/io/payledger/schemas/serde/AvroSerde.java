package io.payledger.schemas.serde;

import io.payledger.schemas.topic.Topic;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** TODO(helper): implement per SPEC wire format. */
public final class AvroSerde<V> implements Serde<V> {

    public AvroSerde(Topic<?, V> topic, SerdeSettings settings) {
    }

    @Override
    public Serializer<V> serializer() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    @Override
    public Deserializer<V> deserializer() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
