package io.payledger.platform.messaging;

import io.payledger.platform.rules.ProducerText;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topic;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes records by topic and decoded type into what the listener makes of them, for a listener that
 * handles a polled batch as one unit: each record is translated first, then the batch is applied at once.
 *
 * <pre>{@code
 * settlements = new RecordTranslator<Settlement>(serdeSettings)
 *         .on(Topics.LEDGER_TRANSACTIONS, TransactionPosted.class, this::posted)
 *         .on(Topics.LEDGER_TRANSACTIONS, TransactionDeclined.class, this::declined);
 * Settlement settlement = settlements.translate(record);   // null: nothing to do for this record
 * }</pre>
 *
 * <p>Each topic's values are decoded with its own serde ({@link TopicReader}). A record is poison
 * ({@link PoisonRecordException}, for the listener to dead-letter) when it is on a topic no translation is
 * registered for, when it does not decode, or when its decoded type has no translation. A schema registry
 * that cannot be asked is no fault of the record: that failure propagates as it is, to be retried.
 * Whatever a translation throws propagates as it is too.
 *
 * <p>Register every translation before the first record is translated; translating is then safe from any
 * number of threads.
 *
 * @param <R> what a record becomes
 */
public final class RecordTranslator<R> {

    private final SerdeSettings serdeSettings;
    private final Map<String, TopicRoute<?, R>> routes = new LinkedHashMap<>();

    public RecordTranslator(SerdeSettings serdeSettings) {
        this.serdeSettings = serdeSettings;
    }

    /** Translates the records of {@code topic} whose value is a {@code type}. */
    public <V, T extends V> RecordTranslator<R> on(Topic<String, V> topic, Class<T> type,
                                                   Function<? super T, ? extends R> translation) {
        return onRecord(topic, type, (value, record) -> translation.apply(value));
    }

    /** As {@link #on}, for a translation that needs the record too (its headers, its coordinates). */
    public <V, T extends V> RecordTranslator<R> onRecord(Topic<String, V> topic, Class<T> type,
                                                         BiFunction<? super T, ConsumerRecord<byte[], byte[]>,
                                                                 ? extends R> translation) {
        if (!topic.valueRecordTypes().contains(type)) {
            throw new IllegalArgumentException("topic " + topic + " does not carry " + type.getName()
                    + "; it carries " + topic.valueRecordTypes());
        }
        TopicRoute<?, R> route = routes.computeIfAbsent(topic.name(),
                name -> new TopicRoute<>(new TopicReader<>(topic, serdeSettings)));
        if (route.reader.topic() != topic) {
            throw new IllegalArgumentException("two topics named " + topic);
        }
        if (route.translations.putIfAbsent(type, (value, record) -> translation.apply(type.cast(value), record))
                != null) {
            throw new IllegalArgumentException("a translation for " + type.getSimpleName() + " on " + topic
                    + " is already registered");
        }
        return this;
    }

    /** The names of the topics translations are registered for: what the listener should subscribe to. */
    public Set<String> topics() {
        return Set.copyOf(routes.keySet());
    }

    /**
     * Decodes {@code record} and hands its value to the translation registered for its topic and type.
     *
     * @return what the translation made of it (null if it made nothing of it)
     * @throws PoisonRecordException if the record is on a topic nothing translates, does not decode, or is
     *     of a type nothing translates
     */
    public R translate(ConsumerRecord<byte[], byte[]> record) {
        TopicRoute<?, R> route = routes.get(record.topic());
        if (route == null) {
            throw new PoisonRecordException("no handler for records on topic " + ProducerText.quote(record.topic()));
        }
        return route.translate(record);
    }

    private static final class TopicRoute<V, R> {

        private final TopicReader<V> reader;
        private final Map<Class<?>, BiFunction<Object, ConsumerRecord<byte[], byte[]>, ? extends R>> translations =
                new LinkedHashMap<>();

        TopicRoute(TopicReader<V> reader) {
            this.reader = reader;
        }

        R translate(ConsumerRecord<byte[], byte[]> record) {
            V value = reader.value(record);
            BiFunction<Object, ConsumerRecord<byte[], byte[]>, ? extends R> translation =
                    translations.get(value.getClass());
            if (translation == null) {
                throw new PoisonRecordException("unexpected record type " + typeName(value) + " on " + reader.topic());
            }
            return translation.apply(value, record);
        }

        private static String typeName(Object value) {
            return value instanceof SpecificRecord record ? record.getSchema().getFullName() : value.getClass().getName();
        }
    }
}
