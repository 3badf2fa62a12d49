package io.payledger.payment.persistence;

import io.payledger.platform.outbox.OutboxWriter;
import io.payledger.schemas.topic.Topic;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;

/** One message for the outbox: the topic it goes to, its key, its value and its headers. */
public record OutboxMessage<V>(Topic<String, V> topic, String key, V value, Map<String, String> headers) {

    public OutboxMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(value, "value");
        headers = Map.copyOf(headers);
    }

    /** Appends this message inside {@code transaction}: it commits or rolls back with it. */
    void appendTo(Handle transaction, OutboxWriter outbox) {
        outbox.append(transaction, topic, key, value, headers);
    }

    /** Adds this message to a batch appended later in the same transaction. */
    void addTo(OutboxWriter.Batch batch) {
        batch.add(topic, key, value, headers);
    }
}
