package io.payledger.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeliveryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void backsOffExponentiallyWithJitterUntilTheLastAttemptThenIsDead() {
        // Given 4 attempts, backoff from 1 s doubling with ±50% jitter, as the service configures it
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(Duration.ofSeconds(1), 2.0, 0.5,
                Duration.ofHours(1));
        DeliveryPolicy policy = new DeliveryPolicy(4, backoff::apply, Duration.ofSeconds(30));

        // Then attempts 1..3 are retried within [0.5, 1.5] × 2^(n-1) seconds, and the 4th failure is dead
        for (int attempt = 1; attempt <= 3; attempt++) {
            DeliveryPolicy.Outcome outcome = policy.afterFailure(attempt, NOW);
            assertThat(outcome).isInstanceOf(DeliveryPolicy.Retry.class);
            Duration wait = Duration.between(NOW, ((DeliveryPolicy.Retry) outcome).at());
            long base = 1000L << (attempt - 1);
            assertThat(wait.toMillis()).isBetween(base / 2, base * 3 / 2);
        }
        assertThat(policy.afterFailure(4, NOW)).isInstanceOf(DeliveryPolicy.Dead.class);
    }
}
