package io.payledger.ledger.domain;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Reads and writes inside one transaction on the books. */
public interface BooksUnitOfWork {

    /** Which of these transaction IDs the books already hold. */
    Set<UUID> appliedAmong(Collection<UUID> transactionIds);

    /** The current state of those of these accounts that exist, locked against other writers until commit. */
    Map<String, Account> accounts(Collection<String> accountIds);

    /** Records the batch's transactions and entries and the new state of its accounts. */
    void record(AppliedBatch batch);
}
