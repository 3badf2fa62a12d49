package io.payledger.ledger.domain;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Applies approved payments to the books, many per transaction, each exactly once. */
public final class PaymentPoster {

    private final Books books;
    private final PostingEngine engine;
    private final Clock clock;

    public PaymentPoster(Books books, PostingEngine engine, Clock clock) {
        this.books = books;
        this.engine = engine;
        this.clock = clock;
    }

    public AppliedBatch post(List<PaymentInstruction> payments) {
        if (payments.isEmpty()) {
            return AppliedBatch.none();
        }
        List<UUID> transactionIds = payments.stream().map(PaymentInstruction::transactionId).toList();
        return books.transact(work -> {
            Set<UUID> applied = work.appliedAmong(transactionIds);
            Set<String> accountIds = new HashSet<>();
            for (PaymentInstruction payment : payments) {
                // An invalid instruction is declined unread: its account IDs may not even be storable text.
                if (!applied.contains(payment.transactionId()) && PostingEngine.invalidity(payment).isEmpty()) {
                    accountIds.add(payment.sourceAccountId());
                    accountIds.add(payment.destinationAccountId());
                }
            }
            AppliedBatch batch = engine.apply(payments, applied, work.accounts(accountIds), clock.instant());
            if (!batch.isEmpty()) {
                work.record(batch);
            }
            return batch;
        });
    }

    /**
     * Declines one payment without applying it, unless the books already hold an outcome for it: for a
     * payment that could not be applied at all, so that it still reaches a final state.
     */
    public AppliedBatch decline(PaymentInstruction payment, DeclineReason reason) {
        return books.transact(work -> {
            if (!work.appliedAmong(List.of(payment.transactionId())).isEmpty()) {
                return new AppliedBatch(List.of(), List.of(), 1);
            }
            AppliedBatch batch = new AppliedBatch(List.of(LedgerTransaction.declined(payment, reason, clock.instant())),
                    List.of(), 0);
            work.record(batch);
            return batch;
        });
    }
}
