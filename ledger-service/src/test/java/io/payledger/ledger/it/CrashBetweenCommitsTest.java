package io.payledger.ledger.it;

import static io.payledger.ledger.it.LedgerTestSupport.approved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.books.BooksVerifier;
import io.payledger.events.FraudDecision;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import io.payledger.infra.EmbeddedKafkaBroker;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real process kill at the worst moment for exactly-once: the database transaction has committed,
 * the Kafka offsets have not. The restarted ledger is redelivered the batch and must change nothing
 * twice, nor publish anything twice. Runs against its own broker and database so nothing else in
 * this JVM consumes its topics.
 */
class CrashBetweenCommitsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private EmbeddedKafkaBroker kafka;
    private String databaseUrl;
    private Process ledger;
    private Path logFile;

    @BeforeEach
    void ownBrokerAndDatabase() {
        kafka = EmbeddedKafkaBroker.builder().start();
        databaseUrl = SharedInfrastructure.postgres().createDatabase(
                "crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    @AfterEach
    void stop() {
        if (ledger != null && ledger.isAlive()) {
            ledger.destroyForcibly();
        }
        kafka.close();
    }

    @Test
    void aCrashAfterTheDatabaseCommitAndBeforeTheOffsetCommitChangesNothingTwice() throws Exception {
        // Given a ledger that will die right after its second commit of payments, and alice funded by the first
        int port = freePort();
        int managementPort = freePort();
        ledger = startLedger(port, managementPort, 2);
        HttpApi api = LedgerTestSupport.api(port, LedgerTestSupport.OPERATOR);
        HttpApi management = new HttpApi("http://localhost:" + managementPort);
        await().atMost(TIMEOUT).ignoreExceptions().until(() -> management.get("/actuator/health").status() == 200);
        LedgerTestSupport.openUsdAccount(api, "bank", "SYSTEM");
        LedgerTestSupport.openUsdAccount(api, "alice", "CUSTOMER");
        LedgerTestSupport.openUsdAccount(api, "bob", "CUSTOMER");
        Jdbi books = books();
        var serializer = Topics.FRAUD_DECISIONS.valueSerde(SerdeSettings.singleObjectEncoding()).serializer();
        List<FraudDecision> decisions = new ArrayList<>();
        try (KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers())) {
            FraudDecision funding = approved(UUID.randomUUID().toString(), "bank", "alice", 10_000, "USD");
            decisions.add(funding);
            client.send(Topics.FRAUD_DECISIONS.name(), "bank", serializer.serialize("t", funding), Map.of());
            await().atMost(TIMEOUT).until(() -> LedgerTestSupport.balanceIn(books, "alice") == 10_000);

            // When thirty transfers of 5.00 from alice to bob arrive, ten more than she can afford
            for (int i = 0; i < 30; i++) {
                FraudDecision transfer = approved(UUID.randomUUID().toString(), "alice", "bob", 500, "USD");
                decisions.add(transfer);
                client.send(Topics.FRAUD_DECISIONS.name(), "alice", serializer.serialize("t", transfer), Map.of());
            }
        }

        // Then it dies after committing to the database...
        assertThat(ledger.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as(log()).isTrue();
        assertThat(ledger.exitValue()).as(log()).isEqualTo(137);
        assertThat(log()).contains("CRASHING after commit");
        long appliedBeforeRestart = count(books, "SELECT count(*) FROM transactions");
        assertThat(appliedBeforeRestart).isGreaterThan(1);
        // ...but before committing the offsets of what it applied
        assertThat(committedOffsets()).isLessThan(decisions.size());

        // When it restarts, without the crash
        ledger = startLedger(port, managementPort, 0);

        // Then every payment is applied exactly once: 20 transfers fit in alice's 100.00, 10 are declined
        List<SpecificRecord> outcomes = awaitOutcomes(decisions.size());
        assertThat(outcomes.stream().map(LedgerTestSupport::paymentIdOf).distinct()).hasSize(decisions.size());
        assertThat(outcomes).hasSize(decisions.size());
        assertThat(LedgerTestSupport.balanceIn(books, "alice")).isZero();
        assertThat(LedgerTestSupport.balanceIn(books, "bob")).isEqualTo(10_000);
        assertThat(count(books, "SELECT count(*) FROM transactions WHERE status = 'DECLINED'")).isEqualTo(10);
        assertThat(new BooksVerifier(books).verify().holds()).isTrue();
    }

    private Process startLedger(int port, int managementPort, int crashAfterCommits) throws Exception {
        logFile = Files.createTempFile("crashing-ledger", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m",
                "-D" + LedgerThatCrashesAfterCommit.CRASH_AFTER + "=" + crashAfterCommits,
                "-cp", System.getProperty("java.class.path"), LedgerThatCrashesAfterCommit.class.getName(),
                "--spring.config.name=ledger-service",
                "--server.port=" + port,
                "--management.server.port=" + managementPort,
                "--payledger.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.datasource.url=" + databaseUrl,
                "--spring.datasource.username=" + SharedInfrastructure.postgres().username(),
                "--spring.datasource.password=" + SharedInfrastructure.postgres().password(),
                // Small polls, so the crash lands in the middle of the stream; a dead member is noticed quickly.
                "--payledger.ledger.batch-size=5",
                "--payledger.kafka.consumer[session.timeout.ms]=6000",
                "--payledger.kafka.consumer[heartbeat.interval.ms]=1000"));
        command.addAll(LedgerTestSupport.securityArguments());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    }

    private String log() {
        try {
            return Files.readString(logFile);
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }

    /** Every outcome on the topic, once there are at least {@code expected} and a duplicate has had time to follow. */
    private List<SpecificRecord> awaitOutcomes(int expected) {
        try (KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers())) {
            client.readUntil(Topics.LEDGER_TRANSACTIONS.name(), records -> records.size() >= expected, TIMEOUT);
            sleep(1_000);
            return LedgerTestSupport.decodeOutcomes(client.readAll(Topics.LEDGER_TRANSACTIONS.name()));
        }
    }

    private long committedOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("ledger-service")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    private Jdbi books() {
        return LedgerTestSupport.books(databaseUrl, SharedInfrastructure.postgres().username(), SharedInfrastructure.postgres().password());
    }

    private static long count(Jdbi books, String sql) {
        return books.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }


    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
