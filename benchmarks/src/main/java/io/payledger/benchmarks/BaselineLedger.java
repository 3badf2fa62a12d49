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
 * The design the ledger replaces, measured on the same database: one SERIALIZABLE transaction per
 * transfer (read the source balance, update both accounts, insert two entries), retried up to ten
 * times with exponential back-off, from eight concurrent workers. {@link WalletBaseline} is the
 * original wallet's own READ COMMITTED variant.
 */
final class BaselineLedger {

    private final DataSource dataSource;

    BaselineLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void create(Workload workload, long openingBalance) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS baseline");
            s.execute("DROP TABLE IF EXISTS baseline.entries, baseline.accounts");
            s.execute("""
                    CREATE TABLE baseline.accounts (account_id text PRIMARY KEY, balance_minor bigint NOT NULL,
                                                    type text NOT NULL)""");
            s.execute("""
                    CREATE TABLE baseline.entries (entry_id bigserial PRIMARY KEY, transaction_id uuid NOT NULL,
                        account_id text NOT NULL REFERENCES baseline.accounts, amount_minor bigint NOT NULL,
                        balance_after bigint NOT NULL, posted_at timestamptz NOT NULL DEFAULT now())""");
            s.execute("INSERT INTO baseline.accounts SELECT '" + workload.prefix() + "-' || i, " + openingBalance
                    + ", 'CUSTOMER' FROM generate_series(0, " + (workload.accounts() - 1) + ") i");
        }
    }

    /** Runs transfers from eight workers until they are all done or {@code limit} has passed. */
    BaselineWorkers.Result run(List<Workload.Transfer> transfers, Duration limit) throws InterruptedException {
        return BaselineWorkers.run(dataSource, Connection.TRANSACTION_SERIALIZABLE, BaselineLedger::transfer,
                transfers, limit);
    }

    private static BaselineWorkers.Outcome transfer(Connection connection, Workload.Transfer transfer,
                                                    UUID transactionId) throws SQLException {
        long balance;
        try (PreparedStatement read = connection.prepareStatement(
                "SELECT balance_minor FROM baseline.accounts WHERE account_id = ?")) {
            read.setString(1, transfer.from());
            try (ResultSet result = read.executeQuery()) {
                result.next();
                balance = result.getLong(1);
            }
        }
        if (balance < transfer.amountMinor()) {
            connection.rollback();
            return BaselineWorkers.Outcome.DECLINED;
        }
        long fromAfter = update(connection, transfer.from(), -transfer.amountMinor());
        long toAfter = update(connection, transfer.to(), transfer.amountMinor());
        BaselineWorkers.insertEntries(connection, "baseline", transactionId, transfer, fromAfter, toAfter);
        connection.commit();
        return BaselineWorkers.Outcome.POSTED;
    }

    private static long update(Connection connection, String account, long delta) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE baseline.accounts SET balance_minor = balance_minor + ? WHERE account_id = ? "
                        + "RETURNING balance_minor")) {
            update.setLong(1, delta);
            update.setString(2, account);
            try (ResultSet result = update.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
