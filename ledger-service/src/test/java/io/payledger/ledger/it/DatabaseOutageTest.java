package io.payledger.ledger.it;

import static io.payledger.ledger.it.LedgerTestSupport.approved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.books.BooksVerifier;
import io.payledger.events.FraudDecision;
import io.payledger.infra.EmbeddedKafkaBroker;
import io.payledger.infra.EmbeddedPostgresServer;
import io.payledger.ledger.LedgerServiceApplication;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real outage: PostgreSQL stops while payments keep arriving, then comes back on the same data. The
 * ledger must neither skip nor acknowledge what it could not apply, and must recover by itself, once
 * per payment. Runs on its own broker and database, which it stops and restarts.
 */
class DatabaseOutageTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);

    private EmbeddedKafkaBroker kafka;
    private Path dataDirectory;
    private EmbeddedPostgresServer postgres;
    private ConfigurableApplicationContext ledger;

    @BeforeEach
    void ownBrokerAndDatabase() throws Exception {
        kafka = EmbeddedKafkaBroker.builder().start();
        dataDirectory = Files.createTempDirectory("ledger-outage-pg");
        postgres = EmbeddedPostgresServer.builder().dataDirectory(dataDirectory).start();
    }

    @AfterEach
    void stop() {
        if (ledger != null) {
            ledger.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        kafka.close();
    }

    @Test
    void paymentsThatArriveWhileTheDatabaseIsDownAreAppliedOnceWhenItReturns() throws Exception {
        // Given a running ledger with alice funded with 100.00
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--payledger.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=" + postgres.password(),
                // Notice the outage, and the recovery, within seconds rather than the pool's default half-minute.
                "--spring.datasource.hikari.connection-timeout=2000"));
        arguments.addAll(LedgerTestSupport.securityArguments());
        ledger = LedgerServiceApplication.application().run(arguments.toArray(String[]::new));
        HttpApi api = LedgerTestSupport.api(
                Integer.parseInt(ledger.getEnvironment().getProperty("local.server.port")), LedgerTestSupport.OPERATOR);
        LedgerTestSupport.openUsdAccount(api, "bank", "SYSTEM");
        LedgerTestSupport.openUsdAccount(api, "alice", "CUSTOMER");
        LedgerTestSupport.openUsdAccount(api, "bob", "CUSTOMER");
        List<String> payments = new ArrayList<>();
        try (KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers())) {
            send(client, payments, approved(UUID.randomUUID().toString(), "bank", "alice", 10_000, "USD"));
            await().atMost(TIMEOUT).until(() -> outcomes(payments).size() == 1);

            // When the database goes away and ten transfers of 5.00 from alice to bob arrive
            int port = postgres.port();
            postgres.close();
            postgres = null;
            for (int i = 0; i < 10; i++) {
                send(client, payments, approved(UUID.randomUUID().toString(), "alice", "bob", 500, "USD"));
            }

            // Then nothing is acknowledged while it is down: the records wait, unskipped
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(20))
                    .until(() -> uncommittedRecords() == 10);
            assertThat(outcomes(payments)).hasSize(1);

            // When the database comes back, on the same data
            postgres = EmbeddedPostgresServer.builder().dataDirectory(dataDirectory).port(port).start();
        }

        // Then every transfer is applied once and published once, without anyone intervening
        await().atMost(TIMEOUT).until(() -> outcomes(payments).size() >= payments.size());
        assertThat(outcomes(payments)).hasSize(payments.size());
        await().atMost(TIMEOUT).until(() -> uncommittedRecords() == 0);
        Jdbi books = books();
        assertThat(LedgerTestSupport.balanceIn(books, "alice")).isEqualTo(5_000);
        assertThat(LedgerTestSupport.balanceIn(books, "bob")).isEqualTo(5_000);
        assertThat(new BooksVerifier(books).verify().holds()).isTrue();
    }

    private static void send(KafkaTestClient client, List<String> payments, FraudDecision decision) {
        payments.add(decision.getPaymentId());
        client.send(Topics.FRAUD_DECISIONS.name(), decision.getPayment().getSourceAccountId(),
                Topics.FRAUD_DECISIONS.valueSerde(SerdeSettings.singleObjectEncoding()).serializer()
                        .serialize(Topics.FRAUD_DECISIONS.name(), decision), Map.of());
    }

    /** This test's outcomes on ledger.transactions, duplicates included. */
    private List<SpecificRecord> outcomes(List<String> payments) {
        try (KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers())) {
            return LedgerTestSupport.decodeOutcomes(client.readAll(Topics.LEDGER_TRANSACTIONS.name())).stream()
                    .filter(outcome -> payments.contains(LedgerTestSupport.paymentIdOf(outcome))).toList();
        }
    }

    /** Records on payments.fraud-decisions beyond the ledger group's committed offsets. */
    private long uncommittedRecords() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("ledger-service")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int partition = 0; partition < 12; partition++) {
                latest.put(new TopicPartition(Topics.FRAUD_DECISIONS.name(), partition), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .mapToLong(end -> end.getValue().offset()
                            - (committed.containsKey(end.getKey()) ? committed.get(end.getKey()).offset() : 0))
                    .sum();
        }
    }

    private Jdbi books() {
        return LedgerTestSupport.books(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }
}
