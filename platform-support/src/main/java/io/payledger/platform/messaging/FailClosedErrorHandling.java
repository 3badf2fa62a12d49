package io.payledger.platform.messaging;

import java.time.Duration;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The error handler every listener container uses. Listeners dead-letter poison records themselves,
 * so whatever reaches this handler is transient (a database or broker outage): the record is retried
 * with exponential back-off for as long as it takes, never skipped and never acknowledged.
 */
public final class FailClosedErrorHandling {

    private FailClosedErrorHandling() {
    }

    public static DefaultErrorHandler retryForever(Duration initialInterval, Duration maxInterval) {
        ExponentialBackOff backOff = new ExponentialBackOff(initialInterval.toMillis(), 2.0);
        backOff.setMaxInterval(maxInterval.toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        DefaultErrorHandler handler = new DefaultErrorHandler((record, exception) -> {
            throw new IllegalStateException("retries never end for a transient failure", exception);
        }, backOff);
        // Keep the failed record's position: the container seeks back and redelivers it.
        handler.setSeekAfterError(true);
        handler.setAckAfterHandle(false);
        return handler;
    }
}
