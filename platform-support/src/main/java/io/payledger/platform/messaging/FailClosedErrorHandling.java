package io.payledger.platform.messaging;

import java.time.Duration;
import java.util.Map;
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
        // Spring classifies some exceptions (ClassCastException, say) as not worth retrying and would hand
        // them straight to the recoverer, which refuses, so they would spin without back-off. Here
        // nothing is skipped: every failure is retried with back-off.
        handler.setClassifications(Map.of(), true);
        // Keep the failed record's position: the container seeks back and redelivers it.
        handler.setSeekAfterError(true);
        handler.setAckAfterHandle(false);
        return handler;
    }
}
