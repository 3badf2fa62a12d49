package io.payledger.fraud.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FraudRulesTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private final FraudRules rules = new FraudRules(Map.of("USD", 100_000L, "JPY", 50_000L), 10_000, 3,
            Duration.ofMinutes(1));

    @Test
    void approvesAPaymentWithinItsCurrencyLimit() {
        FraudAssessment assessment = rules.assess(payment(100_000, "USD"), AccountActivity.NONE.record(T0, rules.velocityWindow()));

        assertThat(assessment.approved()).isTrue();
        assertThat(assessment.reasons()).isEmpty();
    }

    @Test
    void rejectsAPaymentOverItsCurrencyLimitAndUsesTheDefaultForOtherCurrencies() {
        AccountActivity first = AccountActivity.NONE.record(T0, rules.velocityWindow());

        assertThat(rules.assess(payment(100_001, "USD"), first).reasons()).containsExactly(FraudRules.AMOUNT_OVER_LIMIT);
        assertThat(rules.assess(payment(10_001, "EUR"), first).approved()).isFalse();
        assertThat(rules.assess(payment(10_000, "EUR"), first).approved()).isTrue();
    }

    @Test
    void rejectsTheFourthPaymentWithinTheWindowAndForgetsAfterIt() {
        // Given three payments in the first minute
        AccountActivity activity = AccountActivity.NONE;
        for (int i = 0; i < 3; i++) {
            activity = activity.record(T0.plusSeconds(i), rules.velocityWindow());
            assertThat(rules.assess(payment(1, "USD"), activity).approved()).isTrue();
        }

        // When a fourth comes within the window, and a fifth after it
        AccountActivity fourth = activity.record(T0.plusSeconds(30), rules.velocityWindow());
        AccountActivity later = fourth.record(T0.plusSeconds(61), rules.velocityWindow());

        // Then
        assertThat(rules.assess(payment(1, "USD"), fourth).reasons()).containsExactly(FraudRules.VELOCITY_EXCEEDED);
        assertThat(later.payments()).isEqualTo(1);
        assertThat(rules.assess(payment(1, "USD"), later).approved()).isTrue();
    }

    private static PaymentToCheck payment(long amountMinor, String currency) {
        return new PaymentToCheck("p-1", "alice", "bob", amountMinor, currency, T0);
    }
}
