package io.payledger.fraud.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.testsupport.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailurePolicyTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final RuntimeException FAILURE = new IllegalStateException("stream thread failed");

    private final TestClock clock = new TestClock(T0);
    private final StreamThreadFailurePolicy policy = new StreamThreadFailurePolicy(3, Duration.ofMinutes(5), clock);

    @Test
    void replacesTheThreadForThreeFailuresWithinFiveMinutesThenShutsTheClientDown() {
        // Given three failures within a minute
        for (int i = 0; i < 3; i++) {
            clock.set(T0.plusSeconds(20L * i));
            assertThat(policy.handle(FAILURE)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }

        // When a fourth comes within five minutes of the first
        clock.set(T0.plus(Duration.ofMinutes(4)));
        StreamThreadExceptionResponse fourth = policy.handle(FAILURE);

        // Then the failure counts as persistent: the client shuts down (ERROR, health DOWN)
        assertThat(fourth).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        // Given three failures, the first at T0
        for (Duration after : new Duration[] {Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(2)}) {
            clock.set(T0.plus(after));
            policy.handle(FAILURE);
        }

        // When a fourth comes just over five minutes after the first, and a fifth right after it
        clock.set(T0.plus(Duration.ofMinutes(5)).plusSeconds(1));
        StreamThreadExceptionResponse fourth = policy.handle(FAILURE);
        clock.set(T0.plus(Duration.ofMinutes(5)).plusSeconds(2));
        StreamThreadExceptionResponse fifth = policy.handle(FAILURE);

        // Then the fourth is only the third within the window, the fifth is one too many
        assertThat(fourth).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(fifth).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void rareFailuresAreAlwaysSurvived() {
        // Given / When a failure every ten minutes, for two hours
        for (int i = 0; i < 12; i++) {
            clock.set(T0.plus(Duration.ofMinutes(10L * i)));

            // Then each one replaces the thread
            assertThat(policy.handle(FAILURE)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }
    }
}
