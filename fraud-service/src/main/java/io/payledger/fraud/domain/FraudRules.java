package io.payledger.fraud.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fraud checks, free of Kafka:
 * <ul>
 *   <li>{@code AMOUNT_OVER_LIMIT}: the amount exceeds the per-currency limit (a default covers other currencies);</li>
 *   <li>{@code VELOCITY_EXCEEDED}: the source account made more than {@code maxPaymentsPerWindow} payments within
 *       {@code velocityWindow}.</li>
 * </ul>
 */
public final class FraudRules {

    public static final String AMOUNT_OVER_LIMIT = "AMOUNT_OVER_LIMIT";
    public static final String VELOCITY_EXCEEDED = "VELOCITY_EXCEEDED";

    private final Map<String, Long> limitsMinorByCurrency;
    private final long defaultLimitMinor;
    private final long maxPaymentsPerWindow;
    private final Duration velocityWindow;

    public FraudRules(Map<String, Long> limitsMinorByCurrency, long defaultLimitMinor, long maxPaymentsPerWindow,
                      Duration velocityWindow) {
        this.limitsMinorByCurrency = Map.copyOf(limitsMinorByCurrency);
        this.defaultLimitMinor = defaultLimitMinor;
        this.maxPaymentsPerWindow = maxPaymentsPerWindow;
        this.velocityWindow = velocityWindow;
    }

    public Duration velocityWindow() {
        return velocityWindow;
    }

    /**
     * @param activity the source account's activity including this payment
     */
    public FraudAssessment assess(PaymentToCheck payment, AccountActivity activity) {
        List<String> reasons = new ArrayList<>();
        if (payment.amountMinor() > limitFor(payment.currency())) {
            reasons.add(AMOUNT_OVER_LIMIT);
        }
        if (activity.payments() > maxPaymentsPerWindow) {
            reasons.add(VELOCITY_EXCEEDED);
        }
        return FraudAssessment.of(reasons);
    }

    public long limitFor(String currency) {
        return limitsMinorByCurrency.getOrDefault(currency, defaultLimitMinor);
    }
}
