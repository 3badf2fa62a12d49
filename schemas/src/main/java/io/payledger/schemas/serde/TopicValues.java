package io.payledger.schemas.serde;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the wire format needs to know about one topic's values: the topic's name (the registry subject is
 * {@code <name>-value}), the record types its values may be, and the reader schema. {@code Topic}
 * implements it, so the topic package depends on the serde package and never the other way round.
 *
 * @param <V> value type
 */
public interface TopicValues<V> {

    /** The topic's name. */
    String name();

    /** The record classes a value may be; more than one for a multi-type topic. */
    List<Class<? extends SpecificRecord>> valueRecordTypes();

    /** The reader schema for values: the record schema, or a union of the record schemas. */
    Schema valueSchema();
}
