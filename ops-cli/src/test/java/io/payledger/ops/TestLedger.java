package io.payledger.ops;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payledger.ledger.domain.Account;
import io.payledger.ledger.domain.AccountType;
import io.payledger.ledger.domain.PaymentInstruction;
import io.payledger.ledger.domain.PaymentPoster;
import io.payledger.ledger.domain.PostingEngine;
import io.payledger.ledger.persistence.JdbiBooks;
import io.payledger.ledger.persistence.LedgerQueries;
import io.payledger.ledger.persistence.SerializableRetry;
import io.payledger.testsupport.SharedInfrastructure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * A fresh ledger database of its own on the shared PostgreSQL, migrated by the ledger's own migrations,
 * with accounts opened and payments posted by the ledger's own code; and the ops CLI pointed at it.
 */
final class TestLedger {

    record Result(int exit, String output) {
    }

    final Map<String, String> environment = new HashMap<>();
    final Jdbi ledger;
    private final PaymentPoster poster;

    TestLedger(String... customers) {
        String database = "ledger_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = SharedInfrastructure.postgres().createDatabase(database);
        String user = SharedInfrastructure.postgres().username();
        String password = SharedInfrastructure.postgres().password();
        Flyway.configure().dataSource(url, user, password).schemas("ledger").defaultSchema("ledger")
                .locations("classpath:db/migration/ledger").load().migrate();
        environment.putAll(Map.of("DATABASE_URL", url, "DATABASE_USER", user, "DATABASE_PASSWORD", password));
        ledger = OpsEnvironment.of(environment).ledger();
        LedgerQueries accounts = new LedgerQueries(ledger);
        accounts.open(new Account("bank", "USD", AccountType.SYSTEM, 0, 0, Instant.now()));
        for (String customer : customers) {
            accounts.open(new Account(customer, "USD", AccountType.CUSTOMER, 0, 0, Instant.now()));
        }
        poster = new PaymentPoster(new JdbiBooks(ledger,
                new SerializableRetry(10, Duration.ofMillis(1), Duration.ofMillis(10), new SimpleMeterRegistry())),
                new PostingEngine(), Clock.systemUTC());
    }

    /** Posts the payments, in order, in one batch. */
    void post(PaymentInstruction... payments) {
        poster.post(List.of(payments));
    }

    static PaymentInstruction payment(String from, String to, long amount) {
        return new PaymentInstruction(UUID.randomUUID(), from, to, amount, "USD", null, null);
    }

    void execute(String sql) {
        ledger.useHandle(handle -> handle.execute(sql));
    }

    Result ops(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = OpsCli.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8));
    }
}
