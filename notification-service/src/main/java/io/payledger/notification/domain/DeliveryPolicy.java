package io.payledger.notification.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.function.IntToLongFunction;

/**
 * What a failed attempt leads to: another attempt after a backoff (exponential with jitter, so receivers
 * coming back are not hit by every sender at once) or, after the last attempt, a dead delivery.
 *
 * @param maxAttempts how many calls a delivery gets before it is dead
 * @param backoff     milliseconds to wait after the n-th failed attempt (n from 1)
 * @param lease       how long a claimed delivery is left alone: longer than a call may take, so only a
 *                    crashed dispatcher's deliveries fall due again while they are being sent
 */
public record DeliveryPolicy(int maxAttempts, IntToLongFunction backoff, Duration lease) {

    public DeliveryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("a delivery gets at least one attempt");
        }
    }

    public sealed interface Outcome permits Retry, Dead {
    }

    public record Retry(Instant at) implements Outcome {
    }

    public record Dead() implements Outcome {
    }

    /** After the {@code attempts}-th call failed at {@code now}. */
    public Outcome afterFailure(int attempts, Instant now) {
        if (attempts >= maxAttempts) {
            return new Dead();
        }
        return new Retry(now.plusMillis(backoff.applyAsLong(attempts)));
    }
}
