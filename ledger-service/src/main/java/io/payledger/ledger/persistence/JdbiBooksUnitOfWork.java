package io.payledger.ledger.persistence;

import io.payledger.ledger.domain.Account;
import io.payledger.ledger.domain.AppliedBatch;
import io.payledger.ledger.domain.BooksUnitOfWork;
import io.payledger.ledger.domain.DeclineReason;
import io.payledger.ledger.domain.Entry;
import io.payledger.ledger.domain.LedgerTransaction;
import io.payledger.platform.rules.ProducerText;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Set-based SQL for one batch: a handful of statements however many payments it holds. Arrays are
 * bound once and expanded with {@code unnest}, so a batch of a thousand payments costs five round trips.
 */
final class JdbiBooksUnitOfWork implements BooksUnitOfWork {

    private static final int MAX_STORED_ID_LENGTH = 256;
    private static final int MAX_STORED_CURRENCY_LENGTH = 16;
    private static final int MAX_STORED_REFERENCE_LENGTH = 512;

    private final Handle handle;

    JdbiBooksUnitOfWork(Handle handle) {
        this.handle = handle;
    }

    @Override
    public Set<UUID> appliedAmong(Collection<UUID> transactionIds) {
        return new HashSet<>(handle.createQuery(
                        "SELECT transaction_id FROM transactions WHERE transaction_id = ANY(:ids)")
                .bindArray("ids", UUID.class, transactionIds)
                .mapTo(UUID.class)
                .list());
    }

    @Override
    public Map<String, Account> accounts(Collection<String> accountIds) {
        if (accountIds.isEmpty()) {
            return Map.of();
        }
        // Lock the rows, in one global order, before computing anything from them: a concurrent writer of
        // the same accounts waits here and is then aborted as a serialization failure (cheap to retry),
        // instead of deadlocking or failing later on a duplicate entry sequence.
        return handle.createQuery("SELECT " + LedgerRows.ACCOUNT_COLUMNS + """
                          FROM accounts WHERE account_id = ANY(:ids)
                         ORDER BY account_id
                           FOR UPDATE""")
                .bindArray("ids", String.class, accountIds)
                .map(LedgerRows.ACCOUNT)
                .stream()
                .collect(Collectors.toMap(Account::accountId, Function.identity()));
    }

    @Override
    public void record(AppliedBatch batch) {
        insertTransactions(batch.transactions());
        insertEntries(batch.transactions());
        updateAccounts(batch.changedAccounts());
    }

    private void insertTransactions(List<LedgerTransaction> transactions) {
        int size = transactions.size();
        List<UUID> ids = new ArrayList<>(size);
        List<String> statuses = new ArrayList<>(size);
        List<String> reasons = new ArrayList<>(size);
        List<String> sources = new ArrayList<>(size);
        List<String> destinations = new ArrayList<>(size);
        List<Long> amounts = new ArrayList<>(size);
        List<String> currencies = new ArrayList<>(size);
        List<String> references = new ArrayList<>(size);
        List<String> traceIds = new ArrayList<>(size);
        List<String> traceParents = new ArrayList<>(size);
        List<Long> sourceSequences = new ArrayList<>(size);
        List<Long> sourceBalances = new ArrayList<>(size);
        List<Long> destinationSequences = new ArrayList<>(size);
        List<Long> destinationBalances = new ArrayList<>(size);
        List<Integer> ordinals = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            LedgerTransaction tx = transactions.get(i);
            ids.add(tx.transactionId());
            statuses.add(tx.status().name());
            reasons.add(tx.declineReason().map(DeclineReason::name).orElse(null));
            // A posted payment obeyed every rule, so this changes nothing for it; a declined one may carry
            // anything a producer wrote, and is recorded as it came, made storable.
            sources.add(ProducerText.storable(tx.payment().sourceAccountId(), MAX_STORED_ID_LENGTH));
            destinations.add(ProducerText.storable(tx.payment().destinationAccountId(), MAX_STORED_ID_LENGTH));
            amounts.add(tx.payment().amountMinor());
            currencies.add(ProducerText.storable(tx.payment().currency(), MAX_STORED_CURRENCY_LENGTH));
            references.add(ProducerText.storable(tx.payment().reference(), MAX_STORED_REFERENCE_LENGTH));
            traceIds.add(ProducerText.storable(tx.payment().traceId(), MAX_STORED_ID_LENGTH));
            traceParents.add(tx.payment().traceParent());
            Entry debit = tx.isPosted() ? tx.entries().get(0) : null;
            Entry credit = tx.isPosted() ? tx.entries().get(1) : null;
            sourceSequences.add(debit == null ? null : debit.sequence());
            sourceBalances.add(debit == null ? null : debit.balanceAfter());
            destinationSequences.add(credit == null ? null : credit.sequence());
            destinationBalances.add(credit == null ? null : credit.balanceAfter());
            ordinals.add(i);
        }
        handle.createUpdate("""
                        INSERT INTO transactions (transaction_id, status, decline_reason, source_account_id,
                                                  destination_account_id, amount_minor, currency, reference,
                                                  trace_id, trace_parent, applied_at, source_sequence, source_balance_after,
                                                  destination_sequence, destination_balance_after, journal_ordinal)
                        SELECT t.id, t.status, t.reason, t.source, t.destination, t.amount, t.currency, t.reference,
                               t.trace_id, t.trace_parent, :appliedAt, t.source_sequence, t.source_balance, t.destination_sequence,
                               t.destination_balance, t.ordinal
                          FROM unnest(:ids, :statuses, :reasons, :sources, :destinations, :amounts, :currencies,
                                      :references, :traceIds, :traceParents, :sourceSequences, :sourceBalances,
                                      :destinationSequences, :destinationBalances, :ordinals)
                               AS t(id, status, reason, source, destination, amount, currency, reference, trace_id,
                                    trace_parent, source_sequence, source_balance, destination_sequence, destination_balance,
                                    ordinal)""")
                .bindArray("ids", UUID.class, ids)
                .bindArray("statuses", String.class, statuses)
                .bindArray("reasons", String.class, reasons)
                .bindArray("sources", String.class, sources)
                .bindArray("destinations", String.class, destinations)
                .bindArray("amounts", Long.class, amounts)
                .bindArray("currencies", String.class, currencies)
                .bindArray("references", String.class, references)
                .bindArray("traceIds", String.class, traceIds)
                .bindArray("traceParents", String.class, traceParents)
                .bindArray("sourceSequences", Long.class, sourceSequences)
                .bindArray("sourceBalances", Long.class, sourceBalances)
                .bindArray("destinationSequences", Long.class, destinationSequences)
                .bindArray("destinationBalances", Long.class, destinationBalances)
                .bindArray("ordinals", Integer.class, ordinals)
                .bind("appliedAt", Timestamp.from(transactions.get(0).appliedAt()))
                .execute();
    }

    private void insertEntries(List<LedgerTransaction> transactions) {
        List<Entry> entries = transactions.stream().flatMap(tx -> tx.entries().stream()).toList();
        if (entries.isEmpty()) {
            return;
        }
        int size = entries.size();
        List<String> accounts = new ArrayList<>(size);
        List<Long> sequences = new ArrayList<>(size);
        List<UUID> transactionIds = new ArrayList<>(size);
        List<String> counterparties = new ArrayList<>(size);
        List<Long> amounts = new ArrayList<>(size);
        List<String> currencies = new ArrayList<>(size);
        List<Long> balances = new ArrayList<>(size);
        for (Entry entry : entries) {
            accounts.add(entry.accountId());
            sequences.add(entry.sequence());
            transactionIds.add(entry.transactionId());
            counterparties.add(entry.counterpartyAccountId());
            amounts.add(entry.amountMinor());
            currencies.add(entry.currency());
            balances.add(entry.balanceAfter());
        }
        handle.createUpdate("""
                        INSERT INTO entries (account_id, sequence, transaction_id, counterparty_account_id,
                                             amount_minor, currency, balance_after, posted_at)
                        SELECT e.account, e.sequence, e.transaction_id, e.counterparty, e.amount, e.currency,
                               e.balance, :postedAt
                          FROM unnest(:accounts, :sequences, :transactionIds, :counterparties, :amounts,
                                      :currencies, :balances)
                               AS e(account, sequence, transaction_id, counterparty, amount, currency, balance)""")
                .bindArray("accounts", String.class, accounts)
                .bindArray("sequences", Long.class, sequences)
                .bindArray("transactionIds", UUID.class, transactionIds)
                .bindArray("counterparties", String.class, counterparties)
                .bindArray("amounts", Long.class, amounts)
                .bindArray("currencies", String.class, currencies)
                .bindArray("balances", Long.class, balances)
                .bind("postedAt", Timestamp.from(entries.get(0).postedAt()))
                .execute();
    }

    private void updateAccounts(Collection<Account> accounts) {
        if (accounts.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>();
        List<Long> balances = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        for (Account account : accounts) {
            ids.add(account.accountId());
            balances.add(account.balanceMinor());
            sequences.add(account.lastSequence());
        }
        int updated = handle.createUpdate("""
                        UPDATE accounts AS a
                           SET balance_minor = u.balance, last_sequence = u.sequence
                          FROM unnest(:ids, :balances, :sequences) AS u(id, balance, sequence)
                         WHERE a.account_id = u.id""")
                .bindArray("ids", String.class, ids)
                .bindArray("balances", Long.class, balances)
                .bindArray("sequences", Long.class, sequences)
                .execute();
        if (updated != ids.size()) {
            throw new IllegalStateException("expected to update " + ids.size() + " accounts, updated " + updated);
        }
    }
}
