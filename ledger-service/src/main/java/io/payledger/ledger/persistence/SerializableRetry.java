package io.payledger.ledger.persistence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a SERIALIZABLE transaction again when PostgreSQL aborts it as a serialization failure (40001)
 * or deadlock victim (40P01), waiting an exponentially growing, fully jittered delay between
 * attempts (AWS "full jitter": uniform in [0, min(cap, base * 2^attempt)]) so colliding writers
 * spread out instead of colliding again. Bounded: after {@code maxAttempts} it gives up with
 * {@link RetriesExhaustedException}, and the caller keeps the work to try later; it never drops it.
 */
public final class SerializableRetry {

    private static final Logger log = LoggerFactory.getLogger(SerializableRetry.class);
    private static final Set<String> RETRYABLE = Set.of("40001", "40P01");

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Counter attempts;
    private final Counter retries;
    private final Counter exhausted;

    public SerializableRetry(int maxAttempts, Duration baseDelay, Duration maxDelay, MeterRegistry meters) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.attempts = Counter.builder("ledger.transaction.attempts")
                .description("SERIALIZABLE transaction attempts on the books").register(meters);
        this.retries = Counter.builder("ledger.transaction.retries")
                .description("Attempts aborted by a serialization failure or deadlock and retried").register(meters);
        this.exhausted = Counter.builder("ledger.transaction.retries.exhausted")
                .description("Units of work that failed every attempt; their records stay unacknowledged")
                .register(meters);
    }

    public <T> T run(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            attempts.increment();
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                Optional<String> sqlState = retryableSqlState(e);
                if (sqlState.isEmpty()) {
                    throw e;
                }
                if (attempt >= maxAttempts) {
                    exhausted.increment();
                    throw new RetriesExhaustedException(attempt, sqlState.get(), e);
                }
                retries.increment();
                Duration delay = delayBefore(attempt + 1);
                log.debug("Serialization conflict (SQLSTATE {}) on attempt {}; retrying in {} ms",
                        sqlState.get(), attempt, delay.toMillis());
                sleep(delay);
            }
        }
    }

    /** Full jitter: uniform in [0, min(maxDelay, baseDelay * 2^(attempt-2))]. */
    Duration delayBefore(int attempt) {
        long ceiling = Math.min(maxDelay.toNanos(), baseDelay.toNanos() << Math.min(attempt - 2, 30));
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    static Optional<String> retryableSqlState(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && RETRYABLE.contains(sql.getSQLState())) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis(), (int) (delay.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between retries", e);
        }
    }
}
