package io.payledger.ledger.domain;

import java.util.Optional;
import java.util.UUID;

/** The ledger's transactions, posted or declined, as the books hold them. */
public interface Transactions {

    /** The transaction and its postings, as recorded in the statements of its two accounts. */
    Optional<LedgerTransaction> find(UUID transactionId);
}
