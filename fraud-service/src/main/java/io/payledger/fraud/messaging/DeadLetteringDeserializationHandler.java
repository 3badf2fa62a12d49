package io.payledger.fraud.messaging;

import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.PoisonRecordException;
import io.payledger.schemas.serde.SchemaRegistryUnavailableException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that do not decode to {@code <topic>.dlt}, as their original bytes with the error in
 * the headers, and lets the stream carry on. The dead-letter write is acknowledged before Streams
 * moves past the record; it is outside the Streams transaction, so a crash right after may
 * dead-letter a record twice (never lose it).
 *
 * <p>Streams creates one handler per task, so the handlers do not make producers of their own: they
 * all use the one {@link DeadLetterPublisher} the application puts in the Streams configuration under
 * {@link #DEAD_LETTER_PUBLISHER_CONFIG}, whose producer the application configures and closes.
 *
 * <p>A schema registry that cannot be asked is not the record's fault: the handler fails the record
 * instead, so it is read again once the stream thread is replaced.
 */
public final class DeadLetteringDeserializationHandler implements DeserializationExceptionHandler {

    /** Streams configuration key holding the {@link DeadLetterPublisher} instance every handler shares. */
    public static final String DEAD_LETTER_PUBLISHER_CONFIG = "payledger.fraud.dead-letter-publisher";

    private static final Logger log = LoggerFactory.getLogger(DeadLetteringDeserializationHandler.class);
    private static final int MAX_CAUSE_DEPTH = 32;

    private DeadLetterPublisher deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        if (!(configs.get(DEAD_LETTER_PUBLISHER_CONFIG) instanceof DeadLetterPublisher publisher)) {
            throw new ConfigException(DEAD_LETTER_PUBLISHER_CONFIG, configs.get(DEAD_LETTER_PUBLISHER_CONFIG),
                    "must be the DeadLetterPublisher instance shared by every handler");
        }
        deadLetters = publisher;
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                 Exception exception) {
        if (registryUnavailable(exception)) {
            log.warn("Schema registry unavailable while decoding {}-{}@{}; failing so the record is retried, "
                    + "not dead-lettered", record.topic(), record.partition(), record.offset(), exception);
            return DeserializationHandlerResponse.FAIL;
        }
        deadLetters.publish(record, new PoisonRecordException("value on " + record.topic() + " does not decode: "
                + exception.getMessage(), exception));
        return DeserializationHandlerResponse.CONTINUE;
    }

    /** Whether the exception is, or is caused by, an unreachable registry; a bounded walk, in case causes loop. */
    private static boolean registryUnavailable(Throwable exception) {
        Throwable t = exception;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof SchemaRegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
