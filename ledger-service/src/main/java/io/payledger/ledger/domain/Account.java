package io.payledger.ledger.domain;

import java.time.Instant;

/**
 * An account's state. {@code lastSequence} is the sequence of its newest entry (0 when it has none)
 * and doubles as the account's version. {@code owner} is the API client that opened it (its client ID),
 * or null for an account opened before accounts had owners.
 */
public record Account(String accountId, String currency, AccountType type, long balanceMinor, long lastSequence,
                      Instant createdAt, String owner) {

    /** An account that belongs to nobody: opened before ownership, or by the platform's own code and tests. */
    public Account(String accountId, String currency, AccountType type, long balanceMinor, long lastSequence,
                   Instant createdAt) {
        this(accountId, currency, type, balanceMinor, lastSequence, createdAt, null);
    }

    /** A new, empty account of {@code owner}. */
    public static Account open(String accountId, String currency, AccountType type, String owner, Instant at) {
        return new Account(accountId, currency, type, 0, 0, at, owner);
    }

    /** This account after one more entry of {@code amountMinor} (signed). */
    Account post(long amountMinor) {
        return new Account(accountId, currency, type, Math.addExact(balanceMinor, amountMinor), lastSequence + 1,
                createdAt, owner);
    }

    boolean canDebit(long amountMinor) {
        return type.mayGoNegative() || balanceMinor >= amountMinor;
    }
}
