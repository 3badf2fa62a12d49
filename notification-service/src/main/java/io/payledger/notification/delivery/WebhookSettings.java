package io.payledger.notification.delivery;

import java.time.Duration;

/**
 * How webhooks are delivered (notification-service.yml, {@code payledger.webhooks.*}).
 *
 * @param connectTimeout      to open a connection to a receiver
 * @param timeout             for the receiver's response once connected; connect plus this bounds a call
 * @param maxAttempts         calls a delivery gets before it is DEAD
 * @param backoffInitial      wait after the first failed attempt, doubled (times {@code backoffMultiplier}) per
 *                            attempt, with ±50% jitter, up to {@code backoffMax}
 * @param lease               how long a claimed delivery is left alone; must exceed connect + timeout
 * @param workers             threads calling receivers, shared by every endpoint
 * @param maxConcurrentCalls  calls in flight to one endpoint at most (its bulkhead)
 * @param breakerWindow       calls the breaker judges a failure rate over (and needs before it judges)
 * @param breakerFailureRate  percentage of failed calls in the window that opens the breaker
 * @param breakerOpenDuration how long an open breaker refuses calls before letting trial calls through
 * @param breakerTrialCalls   trial calls while half-open
 * @param pollInterval        how often the dispatcher looks for due deliveries when it has nothing to do
 */
public record WebhookSettings(Duration connectTimeout, Duration timeout, int maxAttempts, Duration backoffInitial,
                              double backoffMultiplier, Duration backoffMax, Duration lease, int workers,
                              int maxConcurrentCalls, int breakerWindow, float breakerFailureRate,
                              Duration breakerOpenDuration, int breakerTrialCalls, Duration pollInterval) {

    public WebhookSettings {
        if (lease.compareTo(connectTimeout.plus(timeout)) <= 0) {
            throw new IllegalArgumentException("payledger.webhooks.lease (" + lease + ") must exceed connect-timeout"
                    + " + timeout (" + connectTimeout.plus(timeout) + "), or a delivery being sent could be claimed"
                    + " and sent again");
        }
        if (maxAttempts < 1 || workers < 1 || maxConcurrentCalls < 1 || breakerWindow < 1 || breakerTrialCalls < 1) {
            throw new IllegalArgumentException("webhook attempts, workers, concurrent calls, breaker window and trial"
                    + " calls must each be at least 1");
        }
    }
}
