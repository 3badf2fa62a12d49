package io.payledger.ledger.domain;

import java.time.Instant;

/**
 * An account's state. {@code lastSequence} is the sequence of its newest entry (0 when it has none)
 * and doubles as the account's version.
 */
public record Account(String accountId, String currency, AccountType type, long balanceMinor, long lastSequence,
                      Instant createdAt) {

    /** This account after one more entry of {@code amountMinor} (signed). */
    Account post(long amountMinor) {
        return new Account(accountId, currency, type, Math.addExact(balanceMinor, amountMinor), lastSequence + 1,
                createdAt);
    }

    boolean canDebit(long amountMinor) {
        return type.mayGoNegative() || balanceMinor >= amountMinor;
    }
}
