package io.payledger.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The design the ledger replaces, measured on the same database: one SERIALIZABLE transaction per
 * transfer (read the source balance, update both accounts, insert two entries), retried up to ten
 * times with exponential back-off, from eight concurrent workers.
 */
final class BaselineLedger {

    record Result(long transfers, long failed, long attempts, long retries, double seconds) {

        double perSecond() {
            return transfers / seconds;
        }
    }

    private static final int WORKERS = 8;
    private static final int MAX_ATTEMPTS = 10;

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
    Result run(List<Workload.Transfer> transfers, Duration limit) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong attempts = new AtomicLong();
        AtomicLong retries = new AtomicLong();
        long deadline = System.nanoTime() + limit.toNanos();
        long started = System.nanoTime();
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        for (int w = 0; w < WORKERS; w++) {
            workers.submit(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    connection.setAutoCommit(false);
                    connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                    int i;
                    while ((i = next.getAndIncrement()) < transfers.size() && System.nanoTime() < deadline) {
                        if (transfer(connection, transfers.get(i), attempts, retries)) {
                            done.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            });
        }
        workers.shutdown();
        workers.awaitTermination(limit.toSeconds() + 120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(done.get(), failed.get(), attempts.get(), retries.get(), seconds);
    }

    private static boolean transfer(Connection connection, Workload.Transfer transfer, AtomicLong attempts,
                                    AtomicLong retries) throws SQLException {
        UUID transactionId = UUID.randomUUID();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            attempts.incrementAndGet();
            try {
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
                    return true;
                }
                long fromAfter = update(connection, transfer.from(), -transfer.amountMinor());
                long toAfter = update(connection, transfer.to(), transfer.amountMinor());
                try (PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO baseline.entries (transaction_id, account_id, amount_minor, balance_after)
                        VALUES (?, ?, ?, ?), (?, ?, ?, ?)""")) {
                    insert.setObject(1, transactionId);
                    insert.setString(2, transfer.from());
                    insert.setLong(3, -transfer.amountMinor());
                    insert.setLong(4, fromAfter);
                    insert.setObject(5, transactionId);
                    insert.setString(6, transfer.to());
                    insert.setLong(7, transfer.amountMinor());
                    insert.setLong(8, toAfter);
                    insert.executeUpdate();
                }
                connection.commit();
                return true;
            } catch (SQLException e) {
                connection.rollback();
                if (!"40001".equals(e.getSQLState()) && !"40P01".equals(e.getSQLState())) {
                    throw e;
                }
                if (attempt < MAX_ATTEMPTS) {
                    retries.incrementAndGet();
                    backOff(attempt);
                }
            }
        }
        return false;
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

    private static void backOff(int attempt) {
        long ceilingMillis = Math.min(1_000, 5L << Math.min(attempt - 1, 20));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceilingMillis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
