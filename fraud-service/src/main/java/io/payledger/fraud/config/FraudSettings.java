package io.payledger.fraud.config;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Fraud rules and stream settings, bound from {@code payledger.fraud.*}.
 *
 * @param limitsMinor          per-currency amount limit in minor units, e.g. {@code USD: 1000000} for 10,000.00
 * @param defaultLimitMinor    limit for currencies without their own
 * @param maxPaymentsPerWindow most payments one source account may make within {@code velocityWindow}
 * @param velocityWindow       the velocity window
 * @param stateDir             where Kafka Streams keeps local state
 * @param decisionRetention    how long each payment's decision is remembered, so that a replay within it
 *                             re-emits the same decision instead of deciding (and counting) the payment again
 * @param commitInterval       how often the stream commits its transaction: a decision becomes visible to the
 *                             ledger only then, so it is each payment's wait here, half of it on average
 */
@ConfigurationProperties("payledger.fraud")
public record FraudSettings(Map<String, Long> limitsMinor, long defaultLimitMinor, long maxPaymentsPerWindow,
                            Duration velocityWindow, String stateDir, Duration decisionRetention,
                            Duration commitInterval) {

    public static final Duration DEFAULT_DECISION_RETENTION = Duration.ofDays(7);
    /** Kafka Streams' own default under exactly-once. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);

    public FraudSettings {
        limitsMinor = limitsMinor == null ? Map.of() : Map.copyOf(limitsMinor);
        defaultLimitMinor = defaultLimitMinor <= 0 ? 1_000_000 : defaultLimitMinor;
        maxPaymentsPerWindow = maxPaymentsPerWindow <= 0 ? 10_000 : maxPaymentsPerWindow;
        velocityWindow = velocityWindow == null ? Duration.ofMinutes(1) : velocityWindow;
        decisionRetention = decisionRetention == null ? DEFAULT_DECISION_RETENTION : decisionRetention;
        commitInterval = commitInterval == null ? DEFAULT_COMMIT_INTERVAL : commitInterval;
        if (commitInterval.isNegative() || commitInterval.isZero()) {
            throw new IllegalArgumentException("payledger.fraud.commit-interval (FRAUD_COMMIT_INTERVAL) must be "
                    + "positive, got " + commitInterval);
        }
        if (decisionRetention.isNegative() || decisionRetention.isZero()) {
            // Forgetting decisions at once would let every replay re-decide payments: refuse, never default.
            throw new IllegalArgumentException("payledger.fraud.decision-retention (FRAUD_DECISION_RETENTION) must be "
                    + "positive, got " + decisionRetention);
        }
    }
}
