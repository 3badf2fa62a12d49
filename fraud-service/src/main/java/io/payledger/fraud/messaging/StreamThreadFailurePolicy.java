package io.payledger.fraud.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when a stream thread dies. A failure now and then (a broker hiccup, a registry outage
 * that passes) is survived by replacing the thread, which resumes from the last committed offsets.
 * More than {@code maxFailures} within {@code window} means the failure is persistent: replacing the
 * thread again would only crash-loop out of sight, so the client shuts down, Streams goes to ERROR,
 * and the health check reports DOWN for the platform to see and restart.
 */
public final class StreamThreadFailurePolicy implements StreamsUncaughtExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(StreamThreadFailurePolicy.class);

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> recentFailures = new ArrayDeque<>();

    public StreamThreadFailurePolicy(int maxFailures, Duration window, Clock clock) {
        if (maxFailures < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("need at least one failure over a positive window, got "
                    + maxFailures + " in " + window);
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    // Stream threads may fail at the same time: they share the count.
    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        Instant now = clock.instant();
        recentFailures.addLast(now);
        while (!recentFailures.peekFirst().isAfter(now.minus(window))) {
            recentFailures.removeFirst();
        }
        if (recentFailures.size() <= maxFailures) {
            log.error("Fraud stream thread failed ({} of at most {} within {}); replacing it", recentFailures.size(),
                    maxFailures, window, exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        log.error("Fraud stream thread failed {} times within {}, more than the {} tolerated; shutting Kafka Streams "
                + "down (state ERROR, health DOWN)", recentFailures.size(), window, maxFailures, exception);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
}
