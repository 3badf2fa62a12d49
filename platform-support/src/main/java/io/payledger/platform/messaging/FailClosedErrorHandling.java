package io.payledger.platform.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The error handlers the listener containers use. A transient failure ({@link TransientFailures}: the
 * database or broker is away) is retried with exponential back-off for as long as it takes, the record
 * never skipped and never acknowledged. Every failed attempt is counted
 * ({@code payledger_consumer_failed_attempts_total{group,topic}}) and logged: the first at WARN, the
 * ones after it at ERROR, naming the records and their payment IDs, so a held partition is never silent.
 */
public final class FailClosedErrorHandling {

    /** First wait after a failed attempt; it doubles up to {@link #MAX_INTERVAL}. */
    public static final Duration INITIAL_INTERVAL = Duration.ofMillis(200);
    public static final Duration MAX_INTERVAL = Duration.ofSeconds(30);
    /** Attempts of a record whose failure is not transient before it is dead-lettered. */
    public static final int ATTEMPTS_BEFORE_DEAD_LETTER = 3;

    private FailClosedErrorHandling() {
    }

    /**
     * For a batch listener that isolates its own bad records (the ledger): whatever reaches this handler
     * is retried, the whole batch, until it goes through.
     */
    public static DefaultErrorHandler retryForever(String consumerGroup, MeterRegistry meters) {
        DefaultErrorHandler handler = new DefaultErrorHandler((record, exception) -> {
            throw new IllegalStateException("retries never end for this listener", exception);
        }, backOffForever());
        configure(handler, consumerGroup, meters);
        return handler;
    }

    /**
     * For a record listener: a transient failure is retried for as long as it takes; any other failure,
     * one the listener did not expect, is retried {@value #ATTEMPTS_BEFORE_DEAD_LETTER} times in all and
     * then the record goes to its dead-letter topic with the error, so one record cannot hold its
     * partition for ever.
     */
    public static DefaultErrorHandler deadLetterAfterAttempts(String consumerGroup, DeadLetterPublisher deadLetters,
                                                              MeterRegistry meters) {
        DefaultErrorHandler handler = new DefaultErrorHandler((record, exception) -> {
            if (TransientFailures.isTransient(exception)) {
                // The failure turned transient on the last attempt: keep the record.
                throw new IllegalStateException("a transient failure is never dead-lettered", exception);
            }
            @SuppressWarnings("unchecked") // every platform listener consumes raw bytes
            ConsumerRecord<byte[], byte[]> raw = (ConsumerRecord<byte[], byte[]>) record;
            // The listener's own failure, not the container's wrapper, is what an operator needs to read.
            Exception cause = exception instanceof ListenerExecutionFailedException wrapper
                    && wrapper.getCause() instanceof Exception listenerFailure ? listenerFailure : exception;
            deadLetters.publish(raw, cause);
        }, backOffForever());
        BackOff bounded = backOff(ATTEMPTS_BEFORE_DEAD_LETTER - 1);
        // Null keeps the handler's back-off, the endless one, for transient failures.
        handler.setBackOffFunction((record, exception) -> TransientFailures.isTransient(exception) ? null : bounded);
        handler.setCommitRecovered(true);
        configure(handler, consumerGroup, meters);
        return handler;
    }

    private static void configure(DefaultErrorHandler handler, String consumerGroup, MeterRegistry meters) {
        // Spring classifies some exceptions (ClassCastException, say) as not worth retrying and would hand
        // them straight to the recoverer. Here every failure gets its attempts, with back-off.
        handler.setClassifications(Map.of(), true);
        // A failure of another kind starts its own count (a transient one after an unexpected one never ends).
        handler.setResetStateOnExceptionChange(true);
        // Keep the failed record's position: the container seeks back and redelivers it.
        handler.setSeekAfterError(true);
        handler.setAckAfterHandle(false);
        handler.setRetryListeners(new FailedAttemptLog(consumerGroup, topic -> Counter
                .builder("payledger.consumer.failed.attempts")
                .description("Failed attempts to process records, by consumer group and topic")
                .tag("group", consumerGroup)
                .tag("topic", topic)
                .register(meters)));
    }

    private static BackOff backOffForever() {
        ExponentialBackOff backOff = new ExponentialBackOff(INITIAL_INTERVAL.toMillis(), 2.0);
        backOff.setMaxInterval(MAX_INTERVAL.toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        return backOff;
    }

    private static BackOff backOff(int retries) {
        ExponentialBackOff backOff = new ExponentialBackOff(INITIAL_INTERVAL.toMillis(), 2.0);
        backOff.setMaxInterval(MAX_INTERVAL.toMillis());
        backOff.setMaxAttempts(retries);
        return backOff;
    }
}
