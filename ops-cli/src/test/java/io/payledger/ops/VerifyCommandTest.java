package io.payledger.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payledger.ledger.domain.Account;
import io.payledger.ledger.domain.AccountType;
import io.payledger.ledger.domain.PaymentInstruction;
import io.payledger.ledger.domain.PaymentPoster;
import io.payledger.ledger.domain.PostingEngine;
import io.payledger.ledger.persistence.JdbiBooks;
import io.payledger.ledger.persistence.LedgerQueries;
import io.payledger.ledger.persistence.SerializableRetry;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VerifyCommandTest {

    private Map<String, String> environment;
    private Jdbi ledger;

    @BeforeEach
    void aLedgerWithSomeHistory() {
        // Given a fresh ledger database, migrated by the ledger's own migrations, with postings made by its own code
        String database = "ledger_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = SharedInfrastructure.postgres().createDatabase(database);
        String user = SharedInfrastructure.postgres().username();
        String password = SharedInfrastructure.postgres().password();
        Flyway.configure().dataSource(url, user, password).schemas("ledger").defaultSchema("ledger")
                .locations("classpath:db/migration/ledger").load().migrate();
        environment = Map.of("DATABASE_URL", url, "DATABASE_USER", user, "DATABASE_PASSWORD", password);
        ledger = OpsEnvironment.of(environment).ledger();
        LedgerQueries accounts = new LedgerQueries(ledger);
        accounts.open(new Account("bank", "USD", AccountType.SYSTEM, 0, 0, Instant.now()));
        accounts.open(new Account("alice", "USD", AccountType.CUSTOMER, 0, 0, Instant.now()));
        accounts.open(new Account("bob", "USD", AccountType.CUSTOMER, 0, 0, Instant.now()));
        PaymentPoster poster = new PaymentPoster(new JdbiBooks(ledger,
                new SerializableRetry(10, Duration.ofMillis(1), Duration.ofMillis(10), new SimpleMeterRegistry())),
                new PostingEngine(), Clock.systemUTC());
        poster.post(List.of(payment("bank", "alice", 10_000), payment("alice", "bob", 2_500),
                payment("bob", "alice", 500), payment("alice", "bob", 99_999)));
    }

    @Test
    void aConsistentLedgerPassesEveryCheck() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = OpsCli.run(new String[] {"verify"}, environment, new PrintStream(out, true, StandardCharsets.UTF_8));

        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(report).isZero();
        assertThat(report).contains("books: 3 accounts, 4 transactions, 6 entries").contains("VERDICT: the books hold")
                .doesNotContain("BREACH");
    }

    @Test
    void aRecordThatDoesNotDecodeOnTheLedgersTopicsIsLeftOutOfTheEventChecksAndNamed() {
        // Given a record on ledger.transactions that is no Avro at all (someone with write access wrote it)
        try (KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers())) {
            kafka.createTopics(1, Topics.LEDGER_TRANSACTIONS.name(), Topics.LEDGER_ENTRIES.name());
            kafka.send(Topics.LEDGER_TRANSACTIONS.name(), "mallory", "not avro".getBytes(StandardCharsets.UTF_8));
        }
        Map<String, String> withKafka = new java.util.HashMap<>(environment);
        withKafka.put("KAFKA_BOOTSTRAP_SERVERS", SharedInfrastructure.kafkaBootstrapServers());
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        // When the operator verifies the books and the events
        int exit = OpsCli.run(new String[] {"verify", "--events"}, withKafka,
                new PrintStream(out, true, StandardCharsets.UTF_8));

        // Then it checks what does decode, as the topic's consumers do (they dead-letter the rest), and says where
        // the rest is
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(report).isZero();
        assertThat(report).contains("records that do not decode left out, e.g. ledger.transactions-")
                .contains("[ok] ledger.transactions has one outcome per transaction").contains("VERDICT: the books hold");
    }

    @Test
    void aBrokenLedgerIsReportedAndTheCommandExitsNonZero() throws Exception {
        // Given someone edited the books by hand: a balance nudged, an entry removed, a one-legged transfer
        ledger.useHandle(handle -> {
            handle.execute("UPDATE accounts SET balance_minor = balance_minor + 1 WHERE account_id = 'bob'");
            handle.execute("DELETE FROM entries WHERE account_id = 'alice' AND sequence = 2");
            handle.execute("UPDATE entries SET amount_minor = amount_minor - 7 WHERE account_id = 'bank'");
        });

        // When the operator runs the command, as a process of its own
        ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OpsCli.class.getName(), "verify")
                .redirectErrorStream(true);
        command.environment().putAll(environment);
        Process process = command.start();
        String report = readAll(process);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // Then it names every breach and exits non-zero
        assertThat(process.exitValue()).as(report).isEqualTo(1);
        assertThat(report)
                .contains("[BREACH] every transaction balances to zero per currency")
                .contains("[BREACH] every balance equals the sum of its entries")
                .contains("[BREACH] per-account sequences run from 1 without gaps")
                .contains("[BREACH] posted transactions have two legs")
                .contains("[BREACH] each transaction's recorded legs are the entries in the statements")
                .contains("[BREACH] each entry's balanceAfter is the running sum")
                .contains("bob balance")
                .contains("VERDICT: BREACH");
    }

    private static String readAll(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static PaymentInstruction payment(String from, String to, long amount) {
        return new PaymentInstruction(UUID.randomUUID(), from, to, amount, "USD", null, null);
    }
}
