package io.payledger.fraud.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * How many payments a source account made in its current velocity window (a tumbling window that
 * starts at the account's first payment after the previous window ended).
 */
public record AccountActivity(Instant windowStart, long payments) {

    public static final AccountActivity NONE = new AccountActivity(Instant.EPOCH, 0);

    /** The activity once a payment at {@code at} is counted. */
    public AccountActivity record(Instant at, Duration window) {
        if (payments == 0 || !at.isBefore(windowStart.plus(window))) {
            return new AccountActivity(at, 1);
        }
        return new AccountActivity(windowStart, payments + 1);
    }
}
