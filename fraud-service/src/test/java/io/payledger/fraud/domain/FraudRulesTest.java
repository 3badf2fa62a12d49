package io.payledger.fraud.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPayments")
    void refusesAPaymentThatBreaksThePlatformsRulesBeforeAnyOtherRule(String what, PaymentToCheck invalid) {
        // When the rules look at a payment that payment intake would have refused
        // Then it is rejected as invalid, and a valid one is left to the other rules
        assertThat(rules.refuseInvalid(invalid)).hasValueSatisfying(assessment ->
                assertThat(assessment.reasons()).containsExactly(FraudRules.INVALID_PAYMENT));
        assertThat(rules.refuseInvalid(payment(1, "USD"))).isEmpty();
    }

    static Stream<Arguments> invalidPayments() {
        String id = PAYMENT_ID;
        return Stream.of(
                Arguments.of("four-letter currency", new PaymentToCheck(id, "alice", "bob", 1, "USDX", null, T0)),
                Arguments.of("currency without minor unit", new PaymentToCheck(id, "alice", "bob", 1, "XXX", null, T0)),
                Arguments.of("NUL in an account", new PaymentToCheck(id, "al\u0000ice", "bob", 1, "USD", null, T0)),
                Arguments.of("empty account", new PaymentToCheck(id, "", "bob", 1, "USD", null, T0)),
                Arguments.of("10 kB account", new PaymentToCheck(id, "a".repeat(10_000), "bob", 1, "USD", null, T0)),
                Arguments.of("zero amount", new PaymentToCheck(id, "alice", "bob", 0, "USD", null, T0)),
                Arguments.of("negative amount", new PaymentToCheck(id, "alice", "bob", -5, "USD", null, T0)),
                Arguments.of("same account", new PaymentToCheck(id, "alice", "alice", 1, "USD", null, T0)),
                Arguments.of("1 MB reference", new PaymentToCheck(id, "alice", "bob", 1, "USD", "r".repeat(1 << 20), T0)),
                Arguments.of("payment ID not a UUID", new PaymentToCheck("p-1", "alice", "bob", 1, "USD", null, T0)));
    }

    @Test
    void aPaymentFromTheFutureCountsNowSoItsWindowEnds() {
        // Given a payment stamped in year 9999, counted at T0
        Instant counted = FraudRules.countedAt(Instant.parse("9999-12-31T23:59:59Z"), T0);
        AccountActivity forged = AccountActivity.NONE.record(counted, rules.velocityWindow());

        // When the account pays again after the window
        AccountActivity next = forged.record(T0.plusSeconds(61), rules.velocityWindow());

        // Then a new window has begun, and a payment from the epoch counts at its own time
        assertThat(counted).isEqualTo(T0);
        assertThat(next.payments()).isEqualTo(1);
        assertThat(FraudRules.countedAt(Instant.EPOCH, T0)).isEqualTo(Instant.EPOCH);
    }

    private static final String PAYMENT_ID = "0b7e6f0a-3c1d-4e2f-9a8b-1c2d3e4f5a6b";

    private static PaymentToCheck payment(long amountMinor, String currency) {
        return new PaymentToCheck(PAYMENT_ID, "alice", "bob", amountMinor, currency, null, T0);
    }
}
