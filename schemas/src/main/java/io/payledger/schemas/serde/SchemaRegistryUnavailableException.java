package io.payledger.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The schema registry could not be asked (unreachable, timing out, overloaded or failing). The
 * record is not at fault: a reader should retry it later, never dead-letter it.
 */
public class SchemaRegistryUnavailableException extends SerializationException {

    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public SchemaRegistryUnavailableException(String message) {
        super(message);
    }
}
