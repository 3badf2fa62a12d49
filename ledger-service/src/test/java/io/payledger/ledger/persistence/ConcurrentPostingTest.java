package io.payledger.ledger.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payledger.books.BooksVerifier;
import io.payledger.ledger.domain.Account;
import io.payledger.ledger.domain.AccountType;
import io.payledger.ledger.domain.AppliedBatch;
import io.payledger.ledger.domain.PaymentInstruction;
import io.payledger.ledger.domain.PaymentPoster;
import io.payledger.ledger.domain.PostingEngine;
import io.payledger.testsupport.SharedInfrastructure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Writers racing on the same two accounts in opposite directions: the classic deadlock, and under
 * SERIALIZABLE a stream of serialization failures. Every payment must still apply exactly once.
 */
class ConcurrentPostingTest {

    private static final int WRITERS = 4;
    private static final int BATCHES_PER_WRITER = 25;
    private static final int PAYMENTS_PER_BATCH = 10;

    private Jdbi jdbi;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void freshLedger() {
        String url = SharedInfrastructure.postgres().createDatabase(
                "concurrent_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        Flyway.configure().dataSource(url, SharedInfrastructure.postgres().username(),
                        SharedInfrastructure.postgres().password())
                .schemas("ledger").defaultSchema("ledger").locations("classpath:db/migration/ledger").load().migrate();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(SharedInfrastructure.postgres().username());
        dataSource.setPassword(SharedInfrastructure.postgres().password());
        dataSource.setCurrentSchema("ledger");
        jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
        LedgerQueries accounts = new LedgerQueries(jdbi);
        accounts.open(new Account("alice", "EUR", AccountType.CUSTOMER, 0, 0, Instant.now()));
        accounts.open(new Account("bob", "EUR", AccountType.CUSTOMER, 0, 0, Instant.now()));
        accounts.open(new Account("bank", "EUR", AccountType.SYSTEM, 0, 0, Instant.now()));
    }

    @Test
    void paymentsBothWaysBetweenTwoAccountsFromConcurrentWritersEachApplyOnce() throws Exception {
        // Given alice and bob hold 1,000.00 each
        PaymentPoster poster = poster(50);
        poster.post(List.of(payment("bank", "alice", 100_000), payment("bank", "bob", 100_000)));

        // When four writers post batches in which alice pays bob and bob pays alice, all at once
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        List<Future<Long>> posted = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            boolean aliceFirst = w % 2 == 0;
            posted.add(writers.submit((Callable<Long>) () -> {
                long count = 0;
                for (int b = 0; b < BATCHES_PER_WRITER; b++) {
                    List<PaymentInstruction> batch = new ArrayList<>();
                    for (int p = 0; p < PAYMENTS_PER_BATCH; p++) {
                        boolean aliceToBob = (p % 2 == 0) == aliceFirst;
                        batch.add(aliceToBob ? payment("alice", "bob", 100) : payment("bob", "alice", 100));
                    }
                    AppliedBatch applied = poster.post(batch);
                    count += applied.postedCount();
                }
                return count;
            }));
        }
        long total = 0;
        for (Future<Long> future : posted) {
            total += future.get();
        }
        writers.shutdown();

        // Then every payment posted exactly once, money was neither made nor lost, and the books hold
        assertThat(total).isEqualTo((long) WRITERS * BATCHES_PER_WRITER * PAYMENTS_PER_BATCH);
        long transfers = jdbi.withHandle(h -> h.createQuery(
                "SELECT count(*) FROM transactions WHERE source_account_id <> 'bank'").mapTo(Long.class).one());
        assertThat(transfers).isEqualTo(total);
        long aliceAndBob = jdbi.withHandle(h -> h.createQuery(
                "SELECT sum(balance_minor) FROM accounts WHERE account_id IN ('alice', 'bob')").mapTo(Long.class).one());
        assertThat(aliceAndBob).isEqualTo(200_000);
        assertThat(new BooksVerifier(jdbi).verify().holds()).isTrue();
        // And the writers really did collide: the retries are what kept them correct
        assertThat(meters.counter("ledger.transaction.retries").count()).isPositive();
    }

    private PaymentPoster poster(int maxAttempts) {
        return new PaymentPoster(new JdbiBooks(jdbi,
                new SerializableRetry(maxAttempts, Duration.ofMillis(2), Duration.ofMillis(50), meters)),
                new PostingEngine(), Clock.systemUTC());
    }

    private static PaymentInstruction payment(String from, String to, long amount) {
        return new PaymentInstruction(UUID.randomUUID(), from, to, amount, "EUR", null, null);
    }
}
