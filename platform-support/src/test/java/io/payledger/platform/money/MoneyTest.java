package io.payledger.platform.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    @ParameterizedTest
    @CsvSource({
            "12.34, USD, 1234",
            "12.3, USD, 1230",
            "12, USD, 1200",
            "0.01, USD, 1",
            "12.340, USD, 1234",
            "500, JPY, 500",
            "1.234, BHD, 1234",
            "92233720368547758.07, USD, 9223372036854775807"})
    void parsesDecimalStringsExactlyIntoMinorUnits(String decimal, String currency, long minor) {
        assertThat(Money.parse(decimal, currency)).isEqualTo(new Money(minor, currency));
    }

    @ParameterizedTest
    @CsvSource({
            "12.345, USD, more decimals than USD allows",
            "1.5, JPY, more decimals than JPY allows",
            "12.3.4, USD, decimal string",
            "1e3, USD, decimal string",
            "abc, USD, decimal string",
            "92233720368547758.08, USD, too large",
            "10, usd, ISO 4217",
            "10, XYZ, not an ISO 4217 code",
            "10, XXX, not a payable currency"})
    void refusesWhatCannotBeRepresentedExactly(String decimal, String currency, String message) {
        assertThatThrownBy(() -> Money.parse(decimal, currency))
                .isInstanceOf(InvalidMoneyException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {
            " 12.34", "12.34 ", "12 .34", "\t12.34", "12.34\n", "\u00a012.34", "12.34\u2003",
            "+12.34", "+0.01", "1e3", "1E3", "1.2e1", "12.34e0",
            "12.", ".5", "-.5", "1,000.00", "1_000", "0x10", "--1", "-", "", " ",
            "12.34USD", "\u221212.34", "\u0661\u0662", "\uff11\uff12", "NaN", "Infinity"})
    void refusesAnythingButAPlainDecimalString(String decimal) {
        // Given a string a lenient parser would read as a number (or that BigDecimal would accept)
        // When it is parsed as an amount
        // Then it is refused, quoting what was sent, so the caller sees exactly what to fix
        assertThatThrownBy(() -> Money.parse(decimal, "USD"))
                .isInstanceOf(InvalidMoneyException.class)
                .hasMessageContaining("decimal string")
                .hasMessageContaining("\"" + decimal + "\"");
    }

    @Test
    void refusesNothingAtAll() {
        assertThatThrownBy(() -> Money.parse(null, "USD"))
                .isInstanceOf(InvalidMoneyException.class)
                .hasMessageContaining("got nothing");
    }

    @Test
    void acceptsAnAmountStringOfExactlyTheMaximumLength() {
        // Given leading zeros that make a valid amount exactly as long as allowed
        String padded = "0".repeat(Money.MAX_DECIMAL_LENGTH - 5) + "12.34";

        // Then it is parsed
        assertThat(Money.parse(padded, "USD")).isEqualTo(new Money(1234, "USD"));
    }

    @ParameterizedTest
    @ValueSource(ints = {Money.MAX_DECIMAL_LENGTH + 1, 1_000_000})
    void refusesALongerAmountStringBeforeParsingIt(int length) {
        // Given a string of digits too long to be an amount (parsed, a million digits would take seconds)
        String digits = "0".repeat(length - 4) + "1.00";

        // Then it is refused for its length, not for what parsing it would find
        assertThatThrownBy(() -> Money.parse(digits, "USD"))
                .isInstanceOf(InvalidMoneyException.class)
                .hasMessageContaining("at most " + Money.MAX_DECIMAL_LENGTH + " characters")
                .hasMessageContaining("got " + length + " characters");
    }

    @ParameterizedTest
    @CsvSource({"1234, USD, 12.34", "-5, USD, -0.05", "7, JPY, 7", "0, EUR, 0.00"})
    void formatsMinorUnitsWithTheCurrencysDecimals(long minor, String currency, String decimal) {
        assertThat(new Money(minor, currency).toDecimalString()).isEqualTo(decimal);
    }
}
