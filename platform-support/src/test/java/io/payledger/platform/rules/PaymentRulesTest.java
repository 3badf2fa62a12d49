package io.payledger.platform.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.platform.rules.PaymentRules.Defect;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PaymentRulesTest {

    @Test
    void aPaymentThatObeysEveryRuleHasNoViolation() {
        assertThat(PaymentRules.check("alice-usd", "bob-usd", 1, "USD", "lunch")).isEmpty();
        assertThat(PaymentRules.check("alice-usd", "bob-usd", Long.MAX_VALUE, "JPY", null)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            four-letter currency           | alice | bob   | 1  | USDX | null  | INVALID_CURRENCY
            currency without minor unit    | alice | bob   | 1  | XXX  | null  | INVALID_CURRENCY
            lower-case currency            | alice | bob   | 1  | usd  | null  | INVALID_CURRENCY
            empty currency                 | alice | bob   | 1  | ''   | null  | INVALID_CURRENCY
            no currency                    | alice | bob   | 1  | null | null  | INVALID_CURRENCY
            empty source                   | ''    | bob   | 1  | USD  | null  | INVALID_ACCOUNT
            no destination                 | alice | null  | 1  | USD  | null  | INVALID_ACCOUNT
            space in an account            | al ce | bob   | 1  | USD  | null  | INVALID_ACCOUNT
            zero amount                    | alice | bob   | 0  | USD  | null  | INVALID_AMOUNT
            negative amount                | alice | bob   | -1 | USD  | null  | INVALID_AMOUNT
            same account                   | alice | alice | 1  | USD  | null  | SAME_ACCOUNT
            """)
    void aPaymentThatBreaksARuleIsNamedByItsFirstDefect(String what, String source, String destination, long amount,
                                                         String currency, String reference, Defect defect) {
        assertThat(PaymentRules.check(source, destination, amount, currency, reference))
                .hasValueSatisfying(violation -> assertThat(violation.defect()).isEqualTo(defect));
    }

    @Test
    void controlCharactersLongTextAndBrokenUnicodeAreRefusedAndNeverEchoedRaw() {
        // Given values no intake would accept
        String nul = "alice\u0000";
        String tenKilobytes = "a".repeat(10_000);
        String brokenSurrogate = "lunch \uD800";

        // Then each is refused, and the message quotes it escaped and shortened
        assertThat(PaymentRules.check(nul, "bob", 1, "USD", null)).hasValueSatisfying(violation -> {
            assertThat(violation.defect()).isEqualTo(Defect.INVALID_ACCOUNT);
            assertThat(violation.message()).contains("alice\\u0000").doesNotContain("\u0000");
        });
        assertThat(PaymentRules.check("alice", tenKilobytes, 1, "USD", null)).hasValueSatisfying(violation ->
                assertThat(violation.message()).contains("10000 characters, shortened").hasSizeLessThan(300));
        assertThat(PaymentRules.check("alice", "bob", 1, "USD", brokenSurrogate)).hasValueSatisfying(violation ->
                assertThat(violation.defect()).isEqualTo(Defect.INVALID_REFERENCE));
        assertThat(PaymentRules.check("alice", "bob", 1, "USD", "r".repeat(PaymentRules.MAX_REFERENCE_LENGTH + 1)))
                .hasValueSatisfying(violation -> assertThat(violation.defect()).isEqualTo(Defect.INVALID_REFERENCE));
    }

    @Test
    void aPaymentIdIsACanonicalUuid() {
        assertThat(PaymentRules.paymentId("0b7e6f0a-3c1d-4e2f-9a8b-1c2d3e4f5a6b")).isPresent();
        // java.util.UUID accepts these; the platform does not
        assertThat(PaymentRules.paymentId("1-1-1-1-1")).isEmpty();
        assertThat(PaymentRules.paymentId("0b7e6f0a-3c1d-4e2f-9a8b-1c2d3e4f5a6b\u0000")).isEmpty();
        assertThat(PaymentRules.paymentId("")).isEmpty();
        assertThat(PaymentRules.paymentId(null)).isEmpty();
    }

    @Test
    void reasonCodesAreShortUpperCaseWordsAndFew() {
        assertThat(PaymentRules.checkReasonCodes(List.of("AMOUNT_OVER_LIMIT", "VELOCITY_EXCEEDED"))).isEmpty();
        assertThat(PaymentRules.checkReasonCodes(List.of("AMOUNT\u0000"))).isPresent();
        assertThat(PaymentRules.checkReasonCodes(List.of("x".repeat(1_000)))).isPresent();
        assertThat(PaymentRules.checkReasonCodes(Collections.nCopies(PaymentRules.MAX_REASONS + 1, "A"))).isPresent();
    }

    @Test
    void storableTextKeepsValidTextAndDefusesTheRest() {
        // Valid text is stored as it is
        assertThat(ProducerText.storable("alice-usd", 256)).isSameAs("alice-usd");
        assertThat(ProducerText.storable(null, 256)).isNull();
        // Control characters and broken surrogates are escaped; a pair survives whole
        assertThat(ProducerText.storable("a\u0000b\nc\uD800", 256)).isEqualTo("a\\u0000b\\u000ac\\ud800");
        assertThat(ProducerText.storable("pay \uD83D\uDCB8", 256)).isEqualTo("pay \uD83D\uDCB8");
        // Long text is cut, never in the middle of a pair
        assertThat(ProducerText.storable("r".repeat(1 << 20), 512)).hasSize(512);
        assertThat(ProducerText.storable("abc\uD83D\uDCB8", 4)).isEqualTo("abc");
    }
}
