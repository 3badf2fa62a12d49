package io.payledger.examples.balance;

import io.payledger.events.EntryPosted;
import java.time.Instant;

/** Ledger entries as ledger-service would publish them, for the tests. */
final class Entries {

    private Entries() {
    }

    static EntryPosted entry(String accountId, long sequence, long amountMinor, long balanceAfter) {
        return EntryPosted.newBuilder()
                .setEventId(accountId + "-" + sequence)
                .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(sequence))
                .setAccountId(accountId)
                .setSequence(sequence)
                .setTransactionId("00000000-0000-4000-8000-" + String.format("%012d", sequence))
                .setPaymentId("00000000-0000-4000-8000-" + String.format("%012d", sequence))
                .setCounterpartyAccountId("settlement")
                .setAmountMinor(amountMinor)
                .setCurrency("USD")
                .setBalanceAfter(balanceAfter)
                .build();
    }
}
