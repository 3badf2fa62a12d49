package io.payledger.ledger.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One leg of a posted transaction on one account. {@code amountMinor} is signed: negative debits the
 * account, positive credits it; {@code balanceAfter} is the account's balance once this entry applied.
 */
public record Entry(String accountId, long sequence, UUID transactionId, String counterpartyAccountId,
                    long amountMinor, String currency, long balanceAfter, Instant postedAt) {
}
