package io.payledger.ledger.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerializableRetryTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SerializableRetry retry = new SerializableRetry(4, Duration.ofMillis(1), Duration.ofMillis(5), meters);

    @Test
    void retriesSerializationFailuresAndDeadlocksUntilTheTransactionCommits() {
        // Given a transaction aborted twice, once as a serialization failure and once as a deadlock victim
        AtomicInteger calls = new AtomicInteger();

        // When
        String result = retry.run(() -> switch (calls.incrementAndGet()) {
            case 1 -> throw wrapped("40001");
            case 2 -> throw wrapped("40P01");
            default -> "committed";
        });

        // Then
        assertThat(result).isEqualTo("committed");
        assertThat(calls).hasValue(3);
        assertThat(meters.counter("ledger.transaction.retries").count()).isEqualTo(2);
        assertThat(meters.counter("ledger.transaction.attempts").count()).isEqualTo(3);
    }

    @Test
    void givesUpAfterMaxAttemptsWithoutSwallowingTheFailure() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.run(() -> {
            calls.incrementAndGet();
            throw wrapped("40001");
        })).isInstanceOf(RetriesExhaustedException.class).hasMessageContaining("4 attempts");

        assertThat(calls).hasValue(4);
        assertThat(meters.counter("ledger.transaction.retries.exhausted").count()).isEqualTo(1);
    }

    @Test
    void doesNotRetryOtherFailures() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.run(() -> {
            calls.incrementAndGet();
            throw wrapped("23505");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(calls).hasValue(1);
    }

    @Test
    void backOffIsFullyJitteredUnderAnExponentialCeiling() {
        SerializableRetry slow = new SerializableRetry(10, Duration.ofMillis(10), Duration.ofMillis(100), meters);
        for (int i = 0; i < 1_000; i++) {
            assertThat(slow.delayBefore(2)).isBetween(Duration.ZERO, Duration.ofMillis(10));
            assertThat(slow.delayBefore(4)).isBetween(Duration.ZERO, Duration.ofMillis(40));
            assertThat(slow.delayBefore(10)).isBetween(Duration.ZERO, Duration.ofMillis(100));
        }
        long distinct = java.util.stream.IntStream.range(0, 100).mapToObj(i -> slow.delayBefore(6)).distinct().count();
        assertThat(distinct).as("delays are random, not fixed").isGreaterThan(50);
    }

    private static RuntimeException wrapped(String sqlState) {
        return new IllegalStateException("statement failed", new SQLException("aborted", sqlState));
    }
}
