package io.payledger.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The original wallet, as it ran: one READ COMMITTED transaction per transfer that locks the source
 * account and then the destination ({@code SELECT ... FOR UPDATE}, in the order the request names
 * them, not sorted), declines if the source is short, updates both balances and records the
 * transaction and its two entries, with the wallet's foreign keys and statement index. The row locks
 * are what serialise it, so two opposite transfers between the same accounts can deadlock (40P01);
 * those are retried like serialization failures, up to ten tries, from eight workers.
 */
final class WalletBaseline {

    private final DataSource dataSource;

    WalletBaseline(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void create(Workload workload, long openingBalance) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS wallet");
            s.execute("DROP TABLE IF EXISTS wallet.entries, wallet.transactions, wallet.accounts");
            s.execute("""
                    CREATE TABLE wallet.accounts (account_id text PRIMARY KEY, balance_minor bigint NOT NULL,
                        type text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())""");
            // The primary key is the wallet's idempotency guard: a replayed transfer fails on it.
            s.execute("""
                    CREATE TABLE wallet.transactions (transaction_id uuid PRIMARY KEY,
                        source_account_id text NOT NULL REFERENCES wallet.accounts,
                        destination_account_id text NOT NULL REFERENCES wallet.accounts,
                        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
                        status text NOT NULL CHECK (status IN ('POSTED', 'DECLINED')),
                        created_at timestamptz NOT NULL DEFAULT now())""");
            s.execute("""
                    CREATE TABLE wallet.entries (entry_id bigserial PRIMARY KEY,
                        transaction_id uuid NOT NULL REFERENCES wallet.transactions,
                        account_id text NOT NULL REFERENCES wallet.accounts, amount_minor bigint NOT NULL,
                        balance_after bigint NOT NULL, posted_at timestamptz NOT NULL DEFAULT now())""");
            // The account statement: an account's entries, newest first.
            s.execute("CREATE INDEX entries_statement ON wallet.entries (account_id, posted_at)");
            s.execute("INSERT INTO wallet.accounts (account_id, balance_minor, type) SELECT '" + workload.prefix()
                    + "-' || i, " + openingBalance + ", 'CUSTOMER' FROM generate_series(0, "
                    + (workload.accounts() - 1) + ") i");
        }
    }

    /** Runs transfers from eight workers until they are all done or {@code limit} has passed. */
    BaselineWorkers.Result run(List<Workload.Transfer> transfers, Duration limit) throws InterruptedException {
        return BaselineWorkers.run(dataSource, Connection.TRANSACTION_READ_COMMITTED, WalletBaseline::transfer,
                transfers, limit);
    }

    private static BaselineWorkers.Outcome transfer(Connection connection, Workload.Transfer transfer,
                                                    UUID transactionId) throws SQLException {
        // Request order, as the wallet did: A→B and B→A each hold one lock and wait for the other's.
        long fromBalance = lock(connection, transfer.from());
        long toBalance = lock(connection, transfer.to());
        if (fromBalance < transfer.amountMinor()) {
            record(connection, transactionId, transfer, "DECLINED");
            connection.commit();
            return BaselineWorkers.Outcome.DECLINED;
        }
        long fromAfter = fromBalance - transfer.amountMinor();
        long toAfter = toBalance + transfer.amountMinor();
        setBalance(connection, transfer.from(), fromAfter);
        setBalance(connection, transfer.to(), toAfter);
        record(connection, transactionId, transfer, "POSTED");
        BaselineWorkers.insertEntries(connection, "wallet", transactionId, transfer, fromAfter, toAfter);
        connection.commit();
        return BaselineWorkers.Outcome.POSTED;
    }

    private static long lock(Connection connection, String account) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT balance_minor FROM wallet.accounts WHERE account_id = ? FOR UPDATE")) {
            select.setString(1, account);
            try (ResultSet result = select.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private static void setBalance(Connection connection, String account, long balance) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE wallet.accounts SET balance_minor = ?, updated_at = now() WHERE account_id = ?")) {
            update.setLong(1, balance);
            update.setString(2, account);
            update.executeUpdate();
        }
    }

    private static void record(Connection connection, UUID transactionId, Workload.Transfer transfer, String status)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO wallet.transactions (transaction_id, source_account_id, destination_account_id,
                                                 amount_minor, status)
                VALUES (?, ?, ?, ?, ?)""")) {
            insert.setObject(1, transactionId);
            insert.setString(2, transfer.from());
            insert.setString(3, transfer.to());
            insert.setLong(4, transfer.amountMinor());
            insert.setString(5, status);
            insert.executeUpdate();
        }
    }
}
