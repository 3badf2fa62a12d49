package io.payledger.platform.messaging;

import io.payledger.platform.rules.ProducerText;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topic;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Dispatches raw records by topic and decoded type to the handler registered for that type:
 *
 * <pre>{@code
 * handlers = new RecordHandlers(serdeSettings)
 *         .on(Topics.LEDGER_TRANSACTIONS, TransactionPosted.class, this::posted)
 *         .on(Topics.LEDGER_TRANSACTIONS, TransactionDeclined.class, this::declined);
 * handlers.dispatch(record);
 * }</pre>
 *
 * <p>Each topic's values are decoded with its own serde ({@link TopicReader}). A record is poison
 * ({@link PoisonRecordException}, for the listener to dead-letter) when it is on a topic no handler is
 * registered for, when it does not decode, or when its decoded type has no handler. A schema registry
 * that cannot be asked is no fault of the record: that failure propagates as it is, to be retried.
 * Whatever a handler throws propagates as it is too.
 *
 * <p>Register every handler before the first record is dispatched; dispatching is then safe from any
 * number of threads.
 */
public final class RecordHandlers {

    private final SerdeSettings serdeSettings;
    private final Map<String, TopicRoute<?>> routes = new LinkedHashMap<>();

    public RecordHandlers(SerdeSettings serdeSettings) {
        this.serdeSettings = serdeSettings;
    }

    /** Handles the records of {@code topic} whose value is a {@code type}. */
    public <V, T extends V> RecordHandlers on(Topic<String, V> topic, Class<T> type, Consumer<? super T> handler) {
        return onRecord(topic, type, (value, record) -> handler.accept(value));
    }

    /** As {@link #on}, for a handler that needs the record too (its headers, its coordinates). */
    public <V, T extends V> RecordHandlers onRecord(Topic<String, V> topic, Class<T> type,
                                                   BiConsumer<? super T, ConsumerRecord<byte[], byte[]>> handler) {
        if (!topic.valueRecordTypes().contains(type)) {
            throw new IllegalArgumentException("topic " + topic + " does not carry " + type.getName()
                    + "; it carries " + topic.valueRecordTypes());
        }
        TopicRoute<?> route = routes.computeIfAbsent(topic.name(),
                name -> new TopicRoute<>(new TopicReader<>(topic, serdeSettings)));
        if (route.reader.topic() != topic) {
            throw new IllegalArgumentException("two topics named " + topic);
        }
        if (route.handlers.putIfAbsent(type, (value, record) -> handler.accept(type.cast(value), record)) != null) {
            throw new IllegalArgumentException("a handler for " + type.getSimpleName() + " on " + topic
                    + " is already registered");
        }
        return this;
    }

    /** The names of the topics handlers are registered for: what the listener should subscribe to. */
    public Set<String> topics() {
        return Set.copyOf(routes.keySet());
    }

    /**
     * Decodes {@code record} and hands its value to the handler registered for its topic and type.
     *
     * @throws PoisonRecordException if the record is on a topic nothing handles, does not decode, or is
     *     of a type nothing handles
     */
    public void dispatch(ConsumerRecord<byte[], byte[]> record) {
        TopicRoute<?> route = routes.get(record.topic());
        if (route == null) {
            throw new PoisonRecordException("no handler for records on topic " + ProducerText.quote(record.topic()));
        }
        route.dispatch(record);
    }

    private static final class TopicRoute<V> {

        private final TopicReader<V> reader;
        private final Map<Class<?>, BiConsumer<Object, ConsumerRecord<byte[], byte[]>>> handlers = new LinkedHashMap<>();

        TopicRoute(TopicReader<V> reader) {
            this.reader = reader;
        }

        void dispatch(ConsumerRecord<byte[], byte[]> record) {
            V value = reader.value(record);
            BiConsumer<Object, ConsumerRecord<byte[], byte[]>> handler = handlers.get(value.getClass());
            if (handler == null) {
                throw new PoisonRecordException("unexpected record type " + typeName(value) + " on " + reader.topic());
            }
            handler.accept(value, record);
        }

        private static String typeName(Object value) {
            return value instanceof SpecificRecord record ? record.getSchema().getFullName() : value.getClass().getName();
        }
    }
}
