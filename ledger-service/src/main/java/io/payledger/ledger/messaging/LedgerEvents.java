package io.payledger.ledger.messaging;

import io.payledger.events.AccountState;
import io.payledger.events.EntryPosted;
import io.payledger.ledger.domain.Account;
import io.payledger.events.Posting;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.ledger.domain.DeclineReason;
import io.payledger.ledger.domain.Entry;
import io.payledger.ledger.domain.LedgerTransaction;
import io.payledger.platform.messaging.EventIds;
import org.apache.avro.specific.SpecificRecord;

/**
 * The events a ledger transaction publishes. Event IDs are derived from what they describe, so the
 * same transaction always yields the same IDs and a consumer deduping on them is never fooled.
 */
final class LedgerEvents {

    private LedgerEvents() {
    }

    static SpecificRecord outcome(LedgerTransaction tx) {
        String transactionId = tx.transactionId().toString();
        if (tx.isPosted()) {
            return TransactionPosted.newBuilder()
                    .setEventId(eventId("transaction-posted", transactionId))
                    .setOccurredAt(tx.appliedAt())
                    .setTransactionId(transactionId)
                    .setPaymentId(transactionId)
                    .setSourceAccountId(tx.payment().sourceAccountId())
                    .setDestinationAccountId(tx.payment().destinationAccountId())
                    .setAmountMinor(tx.payment().amountMinor())
                    .setCurrency(tx.payment().currency())
                    .setPostings(tx.entries().stream().map(LedgerEvents::posting).toList())
                    .build();
        }
        return TransactionDeclined.newBuilder()
                .setEventId(eventId("transaction-declined", transactionId))
                .setOccurredAt(tx.appliedAt())
                .setTransactionId(transactionId)
                .setPaymentId(transactionId)
                .setSourceAccountId(tx.payment().sourceAccountId())
                .setDestinationAccountId(tx.payment().destinationAccountId())
                .setAmountMinor(tx.payment().amountMinor())
                .setCurrency(tx.payment().currency())
                .setReason(tx.declineReason().map(DeclineReason::name).orElseThrow())
                .build();
    }

    static EntryPosted entryPosted(Entry entry) {
        return EntryPosted.newBuilder()
                .setEventId(eventId("entry-posted", entry.accountId() + "/" + entry.sequence()))
                .setOccurredAt(entry.postedAt())
                .setAccountId(entry.accountId())
                .setSequence(entry.sequence())
                .setTransactionId(entry.transactionId().toString())
                .setPaymentId(entry.transactionId().toString())
                .setCounterpartyAccountId(entry.counterpartyAccountId())
                .setAmountMinor(entry.amountMinor())
                .setCurrency(entry.currency())
                .setBalanceAfter(entry.balanceAfter())
                .build();
    }

    /** The state an account was opened in: the only state change an account has today. */
    static AccountState accountState(Account account) {
        return AccountState.newBuilder()
                .setEventId(eventId("account-opened", account.accountId()))
                .setAccountId(account.accountId())
                .setCurrency(account.currency())
                .setType(account.type().name())
                .setOwner(account.owner())
                .setStatus("OPEN")
                .setOpenedAt(account.createdAt())
                .build();
    }

    private static Posting posting(Entry entry) {
        return Posting.newBuilder()
                .setAccountId(entry.accountId())
                .setAmountMinor(entry.amountMinor())
                .setSequence(entry.sequence())
                .setBalanceAfter(entry.balanceAfter())
                .build();
    }

    private static String eventId(String kind, String subject) {
        return EventIds.of(kind, subject);
    }
}
