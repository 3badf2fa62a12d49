package io.payledger.ledger.persistence;

import io.payledger.ledger.domain.Account;
import io.payledger.ledger.domain.Accounts;
import io.payledger.ledger.domain.Entry;
import io.payledger.ledger.domain.LedgerTransaction;
import io.payledger.ledger.domain.Transactions;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Reads of the books for the API, and account opening. Reads are plain READ COMMITTED snapshots. */
public final class LedgerQueries implements Accounts, Transactions {

    private final Jdbi jdbi;

    public LedgerQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean open(Account account) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        INSERT INTO accounts (account_id, currency, type, created_at, owner)
                        VALUES (:id, :currency, :type, :createdAt, :owner)
                        ON CONFLICT (account_id) DO NOTHING""")
                .bind("id", account.accountId())
                .bind("currency", account.currency())
                .bind("type", account.type().name())
                .bind("createdAt", Timestamp.from(account.createdAt()))
                .bind("owner", account.owner())
                .execute()) == 1;
    }

    @Override
    public Optional<Account> find(String accountId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + LedgerRows.ACCOUNT_COLUMNS + " FROM accounts WHERE account_id = :id")
                .bind("id", accountId)
                .map(LedgerRows.ACCOUNT)
                .findOne());
    }

    @Override
    public List<Entry> statement(String accountId, long beforeSequence, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + LedgerRows.ENTRY_COLUMNS + """
                         FROM entries
                        WHERE account_id = :id AND sequence < :before
                        ORDER BY sequence DESC
                        LIMIT :limit""")
                .bind("id", accountId)
                .bind("before", beforeSequence)
                .bind("limit", limit)
                .map(LedgerRows.ENTRY)
                .list());
    }

    @Override
    public Optional<LedgerTransaction> find(UUID transactionId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + LedgerRows.TRANSACTION_COLUMNS + " FROM transactions WHERE transaction_id = :id")
                .bind("id", transactionId)
                .map(LedgerRows.TRANSACTION)
                .findOne()
                .map(tx -> new LedgerTransaction(tx.transactionId(), tx.payment(), tx.status(), tx.declineReason(),
                        tx.entries().stream().map(leg -> handle.createQuery("SELECT " + LedgerRows.ENTRY_COLUMNS
                                        + " FROM entries WHERE account_id = :account AND sequence = :sequence")
                                .bind("account", leg.accountId())
                                .bind("sequence", leg.sequence())
                                .map(LedgerRows.ENTRY)
                                .one()).toList(),
                        tx.appliedAt())));
    }
}
