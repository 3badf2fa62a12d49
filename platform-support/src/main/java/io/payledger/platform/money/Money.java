package io.payledger.platform.money;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Currency;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An amount in a currency's minor unit. Money never passes through floating point: decimal strings
 * from HTTP are parsed exactly and anything that does not fit the currency's minor unit is refused.
 */
public record Money(long amountMinor, String currency) {

    /**
     * Exactly the decimal strings the contract allows: ASCII digits, an optional fraction, an optional
     * {@code -} (refused later as not positive). No whitespace, {@code +}, exponent, grouping, or a
     * bare {@code .}: what a client sends is what is booked, with no reading of it left to guess.
     */
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
    private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");
    /**
     * Longer amount strings are refused unread: parsing costs more than linear time in the length, and
     * the largest amount there is (a signed 64-bit count of minor units) needs about 20 characters.
     */
    public static final int MAX_DECIMAL_LENGTH = 40;

    public Money {
        Objects.requireNonNull(currency, "currency");
    }

    /**
     * Parses a decimal string such as {@code "12.34"} into minor units of {@code currencyCode}.
     *
     * @throws InvalidMoneyException naming what is wrong: an unknown currency, a string longer than
     *     {@value #MAX_DECIMAL_LENGTH} characters, a malformed number, more decimals than the currency
     *     has, or an amount that does not fit 64 bits
     */
    public static Money parse(String decimal, String currencyCode) {
        int digits = minorDigits(currencyCode);
        if (decimal != null && decimal.length() > MAX_DECIMAL_LENGTH) {
            throw new InvalidMoneyException("amount must be a decimal string of at most " + MAX_DECIMAL_LENGTH
                    + " characters such as \"12.34\", got " + decimal.length() + " characters");
        }
        if (decimal == null || !DECIMAL.matcher(decimal).matches()) {
            throw new InvalidMoneyException("amount must be a decimal string such as \"12.34\" (digits, an optional"
                    + " fraction, no spaces, sign or exponent), got "
                    + (decimal == null ? "nothing" : "\"" + decimal + "\""));
        }
        BigDecimal value = new BigDecimal(decimal);
        if (value.stripTrailingZeros().scale() > digits) {
            throw new InvalidMoneyException("amount " + decimal + " has more decimals than " + currencyCode
                    + " allows (" + digits + ")");
        }
        BigInteger minor = value.movePointRight(digits).toBigIntegerExact();
        if (minor.bitLength() > 63) {
            throw new InvalidMoneyException("amount " + decimal + " is too large");
        }
        return new Money(minor.longValueExact(), currencyCode);
    }

    /** The number of minor-unit digits of an ISO 4217 currency, e.g. 2 for USD, 0 for JPY. */
    public static int minorDigits(String currencyCode) {
        if (currencyCode == null || !CURRENCY_CODE.matcher(currencyCode).matches()) {
            throw new InvalidMoneyException("currency must be an ISO 4217 code such as \"USD\", got "
                    + (currencyCode == null ? "nothing" : "\"" + currencyCode + "\""));
        }
        Currency currency;
        try {
            currency = Currency.getInstance(currencyCode);
        } catch (IllegalArgumentException e) {
            throw new InvalidMoneyException("currency " + currencyCode + " is not an ISO 4217 code");
        }
        int digits = currency.getDefaultFractionDigits();
        if (digits < 0) {
            throw new InvalidMoneyException("currency " + currencyCode + " is not a payable currency");
        }
        return digits;
    }

    /** True for a known ISO 4217 currency with a minor unit. */
    public static boolean isSupportedCurrency(String currencyCode) {
        try {
            minorDigits(currencyCode);
            return true;
        } catch (InvalidMoneyException e) {
            return false;
        }
    }

    /** The amount as a decimal string with exactly the currency's number of decimals, e.g. {@code "12.30"}. */
    public String toDecimalString() {
        return BigDecimal.valueOf(amountMinor, minorDigits(currency)).toPlainString();
    }

    public boolean isPositive() {
        return amountMinor > 0;
    }

    @Override
    public String toString() {
        return toDecimalString() + " " + currency;
    }
}
