package io.payledger.fraud.domain;

import io.payledger.platform.rules.PaymentRules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fraud checks, free of Kafka:
 * <ul>
 *   <li>{@code AMOUNT_OVER_LIMIT}: the amount exceeds the per-currency limit (a default covers other currencies);</li>
 *   <li>{@code VELOCITY_EXCEEDED}: the source account made more than {@code maxPaymentsPerWindow} payments within
 *       {@code velocityWindow}.</li>
 *   <li>{@code INVALID_PAYMENT}: the payment breaks the platform's payment rules; no other rule is asked.</li>
 * </ul>
 */
public final class FraudRules {

    public static final String AMOUNT_OVER_LIMIT = "AMOUNT_OVER_LIMIT";
    public static final String VELOCITY_EXCEEDED = "VELOCITY_EXCEEDED";
    /** The payment breaks the platform's payment rules (it did not come through payment-service's checks). */
    public static final String INVALID_PAYMENT = "INVALID_PAYMENT";

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
     * The rejection of a payment that breaks the platform's payment rules, decided before any other rule
     * looks at it: it counts toward no account's activity, since its accounts may not even be IDs.
     */
    public Optional<FraudAssessment> refuseInvalid(PaymentToCheck payment) {
        boolean valid = PaymentRules.paymentId(payment.paymentId()).isPresent()
                && PaymentRules.check(payment.sourceAccountId(), payment.destinationAccountId(), payment.amountMinor(),
                        payment.currency(), payment.reference()).isEmpty();
        return valid ? Optional.empty() : Optional.of(FraudAssessment.of(List.of(INVALID_PAYMENT)));
    }

    /**
     * When a payment counts toward its account's velocity: when it was initiated, but never later than
     * now, so a producer's clock (or a forged timestamp in year 9999) cannot open a window that never ends.
     */
    public static Instant countedAt(Instant initiatedAt, Instant now) {
        return initiatedAt.isAfter(now) ? now : initiatedAt;
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
