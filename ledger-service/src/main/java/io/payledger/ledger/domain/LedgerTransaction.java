package io.payledger.ledger.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The ledger's record of one payment: posted with its two entries (debit first), or declined with a
 * reason and no entries. Exactly one exists per transaction ID.
 */
public record LedgerTransaction(UUID transactionId, PaymentInstruction payment, Status status,
                                Optional<DeclineReason> declineReason, List<Entry> entries, Instant appliedAt) {

    public enum Status { POSTED, DECLINED }

    public LedgerTransaction {
        entries = List.copyOf(entries);
    }

    static LedgerTransaction posted(PaymentInstruction payment, Entry debit, Entry credit, Instant at) {
        return new LedgerTransaction(payment.transactionId(), payment, Status.POSTED, Optional.empty(),
                List.of(debit, credit), at);
    }

    static LedgerTransaction declined(PaymentInstruction payment, DeclineReason reason, Instant at) {
        return new LedgerTransaction(payment.transactionId(), payment, Status.DECLINED, Optional.of(reason),
                List.of(), at);
    }

    public boolean isPosted() {
        return status == Status.POSTED;
    }
}
