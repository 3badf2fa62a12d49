package io.payledger.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * What the per-transfer baselines share: eight workers, one database transaction per transfer,
 * serialization failures (40001) and deadlocks (40P01) retried up to ten times with exponential
 * back-off and full jitter; a transfer still failing after the tenth try is counted, not thrown.
 */
final class BaselineWorkers {

    enum Outcome { POSTED, DECLINED }

    /** One try at a transfer, in the connection's open transaction; commits, or throws and lets us roll back. */
    @FunctionalInterface
    interface TransferTransaction {
        Outcome apply(Connection connection, Workload.Transfer transfer, UUID transactionId) throws SQLException;
    }

    /** {@code transfers} counts every transfer completed, declined ones included. */
    record Result(long transfers, long declined, long failed, long attempts, long retries, long deadlocks,
                  long serializationFailures, double seconds) {

        double perSecond() {
            return transfers / seconds;
        }
    }

    static final int WORKERS = 8;
    static final int MAX_ATTEMPTS = 10;

    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";

    private final AtomicLong done = new AtomicLong();
    private final AtomicLong declined = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong deadlocks = new AtomicLong();
    private final AtomicLong serializationFailures = new AtomicLong();

    private BaselineWorkers() {
    }

    /** Runs transfers from eight workers until they are all done or {@code limit} has passed. */
    static Result run(DataSource dataSource, int isolation, TransferTransaction transaction,
                      List<Workload.Transfer> transfers, Duration limit) throws InterruptedException {
        return new BaselineWorkers().runAll(dataSource, isolation, transaction, transfers, limit);
    }

    private Result runAll(DataSource dataSource, int isolation, TransferTransaction transaction,
                          List<Workload.Transfer> transfers, Duration limit) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        long deadline = System.nanoTime() + limit.toNanos();
        long started = System.nanoTime();
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            running.add(workers.submit(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    connection.setAutoCommit(false);
                    connection.setTransactionIsolation(isolation);
                    int i;
                    while ((i = next.getAndIncrement()) < transfers.size() && System.nanoTime() < deadline) {
                        transfer(connection, transaction, transfers.get(i));
                    }
                }
                return null;
            }));
        }
        workers.shutdown();
        workers.awaitTermination(limit.toSeconds() + 120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;
        // Anything but a retryable failure is a bug in the baseline: surface it rather than report a quiet worker.
        for (Future<?> worker : running) {
            try {
                worker.get(0, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("a baseline worker failed", e);
            }
        }
        return new Result(done.get(), declined.get(), failed.get(), attempts.get(), retries.get(), deadlocks.get(),
                serializationFailures.get(), seconds);
    }

    private void transfer(Connection connection, TransferTransaction transaction, Workload.Transfer transfer)
            throws SQLException {
        // One ID for every try: a retry is the same transfer, not a new one.
        UUID transactionId = UUID.randomUUID();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            attempts.incrementAndGet();
            try {
                Outcome outcome = transaction.apply(connection, transfer, transactionId);
                done.incrementAndGet();
                if (outcome == Outcome.DECLINED) {
                    declined.incrementAndGet();
                }
                return;
            } catch (SQLException e) {
                connection.rollback();
                if (SERIALIZATION_FAILURE.equals(e.getSQLState())) {
                    serializationFailures.incrementAndGet();
                } else if (DEADLOCK_DETECTED.equals(e.getSQLState())) {
                    deadlocks.incrementAndGet();
                } else {
                    throw e;
                }
                if (attempt < MAX_ATTEMPTS) {
                    retries.incrementAndGet();
                    backOff(attempt);
                }
            }
        }
        failed.incrementAndGet();
    }

    /** Full jitter: a random pause below a ceiling that doubles from 5 ms, capped at one second. */
    /** A transfer's two entries, debit and credit, with the balances they leave, in {@code schema}'s entries table. */
    static void insertEntries(Connection connection, String schema, UUID transactionId, Workload.Transfer transfer,
                              long fromAfter, long toAfter) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + schema
                + ".entries (transaction_id, account_id, amount_minor, balance_after) VALUES (?, ?, ?, ?), (?, ?, ?, ?)")) {
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
