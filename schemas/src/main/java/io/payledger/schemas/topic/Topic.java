package io.payledger.schemas.topic;

import io.payledger.schemas.serde.AvroSerde;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.serde.TopicValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A Kafka topic as the platform knows it: its name, its key serde and the Avro record types its
 * values may carry. Services never spell a topic name; they use the constants in {@link Topics}.
 *
 * @param <K> key type
 * @param <V> value type: one generated record class, or {@link SpecificRecord} for a topic that
 *     carries several record types
 */
public final class Topic<K, V> implements TopicValues<V> {

    private final String name;
    private final Serde<K> keySerde;
    private final Class<V> valueType;
    private final List<Class<? extends SpecificRecord>> valueRecordTypes;
    private final Schema valueSchema;
    private final Map<String, String> config;

    private Topic(String name, Serde<K> keySerde, Class<V> valueType,
                  List<Class<? extends SpecificRecord>> valueRecordTypes) {
        this(name, keySerde, valueType, valueRecordTypes, Map.of());
    }

    private Topic(String name, Serde<K> keySerde, Class<V> valueType,
                  List<Class<? extends SpecificRecord>> valueRecordTypes, Map<String, String> config) {
        this.config = Map.copyOf(config);
        this.name = Objects.requireNonNull(name);
        this.keySerde = Objects.requireNonNull(keySerde);
        this.valueType = Objects.requireNonNull(valueType);
        this.valueRecordTypes = List.copyOf(valueRecordTypes);
        List<Schema> schemas = this.valueRecordTypes.stream().map(SpecificData.get()::getSchema).toList();
        this.valueSchema = schemas.size() == 1 ? schemas.get(0) : Schema.createUnion(schemas);
    }

    /** A topic keyed by a string (an account ID) whose values are one record type. */
    static <V extends SpecificRecord> Topic<String, V> keyedByString(String name, Class<V> valueType) {
        return new Topic<>(name, Serdes.String(), valueType, List.of(valueType));
    }

    /** A topic keyed by a string whose values are any of several record types. */
    @SafeVarargs
    static Topic<String, SpecificRecord> keyedByStringCarrying(String name,
                                                               Class<? extends SpecificRecord>... valueTypes) {
        return new Topic<>(name, Serdes.String(), SpecificRecord.class, List.of(valueTypes));
    }

    /** This topic with {@code cleanup.policy=compact}: Kafka keeps the latest value of every key. */
    Topic<K, V> compacted() {
        return new Topic<>(name, keySerde, valueType, valueRecordTypes, Map.of("cleanup.policy", "compact"));
    }

    /**
     * The topic's own configuration, which whoever creates the topic sets (empty: the broker's defaults).
     * Its dead-letter topic has none of it: dead letters are kept, not compacted.
     */
    public Map<String, String> config() {
        return config;
    }

    @Override
    public String name() {
        return name;
    }

    public Serde<K> keySerde() {
        return keySerde;
    }

    public Class<V> valueType() {
        return valueType;
    }

    /** The record classes a value may be; more than one for a multi-type topic. */
    @Override
    public List<Class<? extends SpecificRecord>> valueRecordTypes() {
        return valueRecordTypes;
    }

    /** The reader schema for values: the record schema, or a union of the record schemas. */
    @Override
    public Schema valueSchema() {
        return valueSchema;
    }

    /** A value serde for this topic in the wire format {@code settings} selects. */
    public Serde<V> valueSerde(SerdeSettings settings) {
        return new AvroSerde<>(this, settings);
    }

    /** The topic its poison records go to, as the original bytes. */
    public String deadLetterTopic() {
        return name + Topics.DEAD_LETTER_SUFFIX;
    }

    @Override
    public String toString() {
        return name;
    }
}
