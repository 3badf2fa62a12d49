package io.payledger.fraud.messaging;

import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.FailClosedErrorHandling;
import io.payledger.platform.messaging.TransientFailures;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a record whose processing fails in a way no rule foresaw from stopping the stream. A transient
 * failure fails the stream thread (it is replaced and reads the record again, as for any failure). Any
 * other failure does too, until the same record has failed
 * {@value FailClosedErrorHandling#ATTEMPTS_BEFORE_DEAD_LETTER} times: then its original bytes go to its
 * dead-letter topic with the error and the stream moves past it. The dead letter is written outside the
 * Streams transaction and acknowledged first, so a crash may write it twice, never lose it.
 *
 * <p>Streams makes a handler per task and new ones with each replaced thread, so the handlers share the
 * {@link DeadLetterPublisher} and the {@link Attempts} the application puts in the Streams configuration.
 */
public final class DeadLetteringProcessingHandler implements ProcessingExceptionHandler {

    /** Streams configuration key holding the {@link Attempts} every handler shares. */
    public static final String ATTEMPTS_CONFIG = "payledger.fraud.processing-attempts";

    private static final Logger log = LoggerFactory.getLogger(DeadLetteringProcessingHandler.class);

    private DeadLetterPublisher deadLetters;
    private Attempts attempts;

    /** Failed attempts per record position, for the last positions that failed (bounded). */
    public static final class Attempts {

        private static final int REMEMBERED_POSITIONS = 1_000;

        private final Map<String, Integer> failures = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > REMEMBERED_POSITIONS;
            }
        };

        synchronized int failed(String position) {
            return failures.merge(position, 1, Integer::sum);
        }

        synchronized void forget(String position) {
            failures.remove(position);
        }
    }

    @Override
    public void configure(Map<String, ?> configs) {
        if (!(configs.get(DeadLetteringDeserializationHandler.DEAD_LETTER_PUBLISHER_CONFIG)
                instanceof DeadLetterPublisher publisher)) {
            throw new ConfigException(DeadLetteringDeserializationHandler.DEAD_LETTER_PUBLISHER_CONFIG,
                    configs.get(DeadLetteringDeserializationHandler.DEAD_LETTER_PUBLISHER_CONFIG),
                    "must be the DeadLetterPublisher instance shared by every handler");
        }
        if (!(configs.get(ATTEMPTS_CONFIG) instanceof Attempts shared)) {
            throw new ConfigException(ATTEMPTS_CONFIG, configs.get(ATTEMPTS_CONFIG),
                    "must be the Attempts instance shared by every handler");
        }
        deadLetters = publisher;
        attempts = shared;
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        String position = context.topic() + "-" + context.partition() + "@" + context.offset();
        if (TransientFailures.isTransient(exception)) {
            log.warn("Processing {} failed transiently; failing the thread so the record is read again", position,
                    exception);
            return ProcessingHandlerResponse.FAIL;
        }
        int failed = attempts.failed(position);
        Optional<ConsumerRecord<byte[], byte[]>> original = original(context);
        if (failed < FailClosedErrorHandling.ATTEMPTS_BEFORE_DEAD_LETTER || original.isEmpty()) {
            log.warn("Processing {} failed unexpectedly (attempt {} of {}); failing the thread so it is read again",
                    position, failed, FailClosedErrorHandling.ATTEMPTS_BEFORE_DEAD_LETTER, exception);
            return ProcessingHandlerResponse.FAIL;
        }
        log.error("Processing {} failed {} times unexpectedly; dead-lettering it and moving on", position, failed,
                exception);
        deadLetters.publish(original.get(), exception);
        attempts.forget(position);
        return ProcessingHandlerResponse.CONTINUE;
    }

    /** The record as it was read, when Streams still has its bytes (it does for a record from a source topic). */
    private static Optional<ConsumerRecord<byte[], byte[]>> original(ErrorHandlerContext context) {
        if (context.topic() == null || context.sourceRawValue() == null) {
            return Optional.empty();
        }
        RecordHeaders headers = new RecordHeaders(context.headers() == null ? new RecordHeaders() : context.headers());
        return Optional.of(new ConsumerRecord<>(context.topic(), context.partition(), context.offset(),
                context.timestamp(), TimestampType.CREATE_TIME, ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE,
                context.sourceRawKey(), context.sourceRawValue(), headers, Optional.empty()));
    }
}
