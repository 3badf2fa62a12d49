package io.payledger.ledger.domain;

import java.util.Collection;
import java.util.List;

/**
 * What applying a batch of payments changed: the new transactions in application order, and the
 * final state of every account they touched. Payments already applied earlier are not in it.
 */
public record AppliedBatch(List<LedgerTransaction> transactions, Collection<Account> changedAccounts,
                           int alreadyApplied) {

    public AppliedBatch {
        transactions = List.copyOf(transactions);
        changedAccounts = List.copyOf(changedAccounts);
    }

    public boolean isEmpty() {
        return transactions.isEmpty();
    }

    public long postedCount() {
        return transactions.stream().filter(LedgerTransaction::isPosted).count();
    }

    public long declinedCount() {
        return transactions.size() - postedCount();
    }
}
