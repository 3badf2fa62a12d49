package io.payledger.ledger.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    public static AppliedBatch none() {
        return new AppliedBatch(List.of(), List.of(), 0);
    }

    /** This batch, then one applied after it in a transaction of its own: an account's later state wins. */
    public AppliedBatch followedBy(AppliedBatch later) {
        List<LedgerTransaction> all = new ArrayList<>(transactions);
        all.addAll(later.transactions);
        Map<String, Account> accounts = new LinkedHashMap<>();
        changedAccounts.forEach(account -> accounts.put(account.accountId(), account));
        later.changedAccounts.forEach(account -> accounts.put(account.accountId(), account));
        return new AppliedBatch(all, accounts.values(), alreadyApplied + later.alreadyApplied);
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
