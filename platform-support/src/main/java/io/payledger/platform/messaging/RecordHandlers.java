package io.payledger.platform.messaging;

import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topic;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
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
 * <p>The one-record-at-a-time face of {@link RecordTranslator}, whose rules it follows: a record on a
 * topic or of a type no handler is registered for, or one that does not decode, is poison
 * ({@link PoisonRecordException}); a schema registry that cannot be asked, and whatever a handler
 * throws, propagate as they are.
 *
 * <p>Register every handler before the first record is dispatched; dispatching is then safe from any
 * number of threads.
 */
public final class RecordHandlers {

    private final RecordTranslator<Void> translator;

    public RecordHandlers(SerdeSettings serdeSettings) {
        this.translator = new RecordTranslator<>(serdeSettings);
    }

    /** Handles the records of {@code topic} whose value is a {@code type}. */
    public <V, T extends V> RecordHandlers on(Topic<String, V> topic, Class<T> type, Consumer<? super T> handler) {
        return onRecord(topic, type, (value, record) -> handler.accept(value));
    }

    /** As {@link #on}, for a handler that needs the record too (its headers, its coordinates). */
    public <V, T extends V> RecordHandlers onRecord(Topic<String, V> topic, Class<T> type,
                                                   BiConsumer<? super T, ConsumerRecord<byte[], byte[]>> handler) {
        translator.onRecord(topic, type, (value, record) -> {
            handler.accept(value, record);
            return null;
        });
        return this;
    }

    /** The names of the topics handlers are registered for: what the listener should subscribe to. */
    public Set<String> topics() {
        return translator.topics();
    }

    /**
     * Decodes {@code record} and hands its value to the handler registered for its topic and type.
     *
     * @throws PoisonRecordException if the record is on a topic nothing handles, does not decode, or is
     *     of a type nothing handles
     */
    public void dispatch(ConsumerRecord<byte[], byte[]> record) {
        translator.translate(record);
    }
}
