package io.payledger.platform.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payledger.events.PaymentInitiated;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.platform.outbox.OutboxRelaySource;
import io.payledger.platform.outbox.OutboxWriter;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.postgresql.ds.PGSimpleDataSource;

/** The outbox relay on a real database and broker: commit order, exactly once across restarts, and its guards. */
class TransactionalRelayTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final SerdeSettings SERDE = SerdeSettings.singleObjectEncoding();

    private final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());
    private final OutboxWriter outbox = new OutboxWriter(SERDE);
    private final String relayName = "relay-test-" + UUID.randomUUID();
    private final String account = "acct-" + UUID.randomUUID();
    private PGSimpleDataSource dataSource;
    private Jdbi jdbi;
    private TransactionalRelay relay;
    private TransactionalRelay standby;

    @BeforeEach
    void freshOutbox() {
        kafka.createTopics(12, Topics.PAYMENTS_INITIATED.name());
        String url = SharedInfrastructure.postgres().createDatabase(
                "relay_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(SharedInfrastructure.postgres().username());
        dataSource.setPassword(SharedInfrastructure.postgres().password());
        jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
        jdbi.useHandle(handle -> handle.execute("""
                CREATE TABLE outbox (
                    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    tx_id       xid8        NOT NULL DEFAULT pg_current_xact_id(),
                    topic       text        NOT NULL,
                    message_key bytea,
                    payload     bytea       NOT NULL,
                    headers     jsonb       NOT NULL DEFAULT '{}',
                    created_at  timestamptz NOT NULL DEFAULT now()
                )"""));
    }

    @AfterEach
    void stopRelay() {
        if (relay != null) {
            relay.close();
        }
        if (standby != null) {
            standby.close();
        }
        kafka.close();
    }

    @Test
    void publishesEveryRowOnceInCommitOrderAndResumesWhereItStopped() {
        // Given two committed transactions with three and two events
        jdbi.useTransaction(handle -> append(handle, "a1", "a2", "a3"));
        jdbi.useTransaction(handle -> append(handle, "b1", "b2"));

        // When the relay runs
        relay = startRelay();

        // Then they are published in commit order
        assertThat(awaitPublished(5)).containsExactly("a1", "a2", "a3", "b1", "b2");

        // When it stops, more is written, and another instance takes over
        relay.close();
        jdbi.useTransaction(handle -> append(handle, "c1", "c2"));
        relay = startRelay();

        // Then the new events follow, and nothing is published twice
        assertThat(awaitPublished(7)).containsExactly("a1", "a2", "a3", "b1", "b2", "c1", "c2");
        await().atMost(TIMEOUT).until(() -> outboxRows() == 0);
        assertThat(published()).hasSize(7);
    }

    @Test
    void aTransactionThatCommitsLateIsPublishedInItsPlaceNotSkipped() throws Exception {
        // Given a transaction that has written an event but not committed yet
        try (Handle slow = jdbi.open()) {
            slow.begin();
            append(slow, "slow");

            // When a later transaction commits its events first and the relay runs
            jdbi.useTransaction(handle -> append(handle, "fast1", "fast2"));
            relay = startRelay();

            // Then nothing past the open transaction is published yet, since it could still commit behind them
            await().pollDelay(Duration.ofSeconds(2)).atMost(TIMEOUT).until(() -> relay.isLeader());
            assertThat(published()).isEmpty();

            // When the slow one commits
            slow.commit();
        }

        // Then all three are published, the slow one first: the order their transactions began writing
        assertThat(awaitPublished(3)).containsExactly("slow", "fast1", "fast2");
    }

    @Test
    void refusesToPublishWhenItsCheckpointIsAheadOfTheDatabase() throws Exception {
        // Given a checkpoint from a database whose transaction IDs ran far ahead of this one (a restore)
        RelayCheckpoints checkpoints = new RelayCheckpoints(kafkaSettings(), relayName);
        checkpoints.ensureTopic((short) 1, TIMEOUT);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(checkpoints.topic(), 0, relayName.getBytes(StandardCharsets.UTF_8),
                    "900000000000:0".getBytes(StandardCharsets.UTF_8))).get();
        }
        jdbi.useTransaction(handle -> append(handle, "after-restore"));

        // When the relay starts
        relay = startRelay();

        // Then it publishes nothing and deletes nothing: the new event would otherwise be lost for good
        await().pollDelay(Duration.ofSeconds(3)).atMost(TIMEOUT).until(() -> !relay.isLeader());
        assertThat(published()).isEmpty();
        assertThat(outboxRows()).isEqualTo(1);
        assertThat(relay.position()).isEqualTo(RelayPosition.START);
        // And it says so: refusing, which takes readiness down with the reason
        assertThat(relay.status().state()).isEqualTo(RelayStatus.State.REFUSING);
        Health readiness = new RelaysHealthIndicator(List.of(relay), Clock.systemUTC()).health();
        assertThat(readiness.getStatus()).isEqualTo(Status.DOWN);
        assertThat(readiness.getDetails().get(relayName).toString()).contains("REFUSING", "900000000000:0");
    }

    @Test
    void aLeadingRelayIsReadyAndCountsWhatItHasNotPublishedYet() {
        // Given a relay that has published two events
        jdbi.useTransaction(handle -> append(handle, "c1", "c2"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        relay = startRelay(meters);
        assertThat(awaitPublished(2)).containsExactly("c1", "c2");

        // Then it leads, its readiness is UP, and its backlog is nothing
        await().atMost(TIMEOUT).until(() -> relay.status().state() == RelayStatus.State.LEADING);
        assertThat(new RelaysHealthIndicator(List.of(relay), Clock.systemUTC()).health().getStatus())
                .isEqualTo(Status.UP);
        await().atMost(TIMEOUT).until(() -> meters.get("payledger.relay.backlog").gauge().value() == 0.0);

        // When three rows commit behind a transaction that is still running (so they cannot be published yet)
        try (Handle running = jdbi.open()) {
            running.begin();
            running.createQuery("SELECT pg_current_xact_id()::text").mapTo(String.class).one();
            jdbi.useTransaction(handle -> append(handle, "d1", "d2", "d3"));

            // Then they are the relay's backlog, and nothing of them is published
            await().atMost(TIMEOUT).until(() -> meters.get("payledger.relay.backlog").gauge().value() == 3.0);
            assertThat(published()).hasSize(2);
            running.rollback();
        }

        // And once that transaction ends they are published and the backlog is empty again
        await().atMost(TIMEOUT).until(() -> published().size() == 5);
        await().atMost(TIMEOUT).until(() -> meters.get("payledger.relay.backlog").gauge().value() == 0.0);
    }

    @Test
    void whenTheLeadersDatabaseSessionDiesTheStandbyTakesOverAndEveryEventIsPublishedOnce() {
        // Given a leading relay that has published two events, and a second instance of it standing by
        jdbi.useTransaction(handle -> append(handle, "a1", "a2"));
        relay = startRelay();
        assertThat(awaitPublished(2)).containsExactly("a1", "a2");
        standby = startRelay();

        // When the leader's database session is terminated, which frees its lock
        terminateTheSessionHoldingTheLock();

        // Then the standby takes over, and the old leader, with nothing to publish and so never fenced,
        // still notices it lost leadership and stands down
        await().atMost(TIMEOUT).until(() -> standby.isLeader() && !relay.isLeader());

        // When more events are written
        jdbi.useTransaction(handle -> append(handle, "b1", "b2"));

        // Then each event is published once, in order
        await().atMost(TIMEOUT).until(() -> outboxRows() == 0);
        assertThat(published()).containsExactly("a1", "a2", "b1", "b2");
    }

    private static KafkaSettings kafkaSettings() {
        return new KafkaSettings(SharedInfrastructure.kafkaBootstrapServers(), null, 12, (short) 1, null, Map.of(),
                Map.of());
    }

    private TransactionalRelay startRelay() {
        return startRelay(new SimpleMeterRegistry());
    }

    private TransactionalRelay startRelay(SimpleMeterRegistry meters) {
        TransactionalRelay started = new TransactionalRelay(
                new RelaySettings(relayName, 100, Duration.ofMillis(20), Duration.ofMillis(200)),
                new OutboxRelaySource(jdbi), dataSource, kafkaSettings(), meters);
        started.start();
        return started;
    }

    private void append(Handle handle, String... references) {
        for (String reference : references) {
            PaymentInitiated event = PaymentInitiated.newBuilder().setEventId(UUID.randomUUID().toString())
                    .setOccurredAt(Instant.now()).setPaymentId(UUID.randomUUID().toString())
                    .setSourceAccountId(account).setDestinationAccountId("other").setAmountMinor(1).setCurrency("USD")
                    .setReference(reference).build();
            outbox.append(handle, Topics.PAYMENTS_INITIATED, account, event, Map.of());
        }
    }

    private List<String> awaitPublished(int count) {
        await().atMost(TIMEOUT).until(() -> published().size() >= count);
        return published();
    }

    /** The references of this test's events on the topic, in the order of their (single) partition. */
    private List<String> published() {
        var values = Topics.PAYMENTS_INITIATED.valueSerde(SERDE).deserializer();
        return kafka.readAll(Topics.PAYMENTS_INITIATED.name()).stream()
                .filter(record -> record.key() != null && account.equals(new String(record.key(), StandardCharsets.UTF_8)))
                .map(ConsumerRecord::value)
                .map(value -> values.deserialize(Topics.PAYMENTS_INITIATED.name(), value).getReference())
                .toList();
    }

    /** Advisory locks are per database and this database is the test's own: the one holder is the leader. */
    private void terminateTheSessionHoldingTheLock() {
        long terminated = jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT count(pg_terminate_backend(pid)) FROM pg_locks
                        WHERE locktype = 'advisory' AND granted
                          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""")
                .mapTo(Long.class).one());
        assertThat(terminated).isEqualTo(1);
    }

    private long outboxRows() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM outbox").mapTo(Long.class).one());
    }
}
