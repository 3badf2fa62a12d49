package io.payledger.ledger.it;

import static io.payledger.ledger.it.LedgerTestSupport.approved;
import static io.payledger.ledger.it.LedgerTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.books.BooksVerifier;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.SharedInfrastructure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

@LedgerIntegrationTest
class ReplayAndFailClosedTest {

    @LocalServerPort
    int port;

    @Autowired
    ConcurrentMessageListenerContainer<byte[], byte[]> fraudDecisionContainer;

    @Autowired
    Jdbi jdbi;

    @Autowired
    MeterRegistry meters;

    private LedgerTestSupport ledger;
    private String bank;
    private String alice;
    private String bob;

    @BeforeEach
    void openAccounts() {
        ledger = new LedgerTestSupport(port);
        bank = unique("bank");
        alice = unique("alice");
        bob = unique("bob");
        ledger.openAccount(bank, "USD", "SYSTEM");
        ledger.openAccount(alice, "USD", "CUSTOMER");
        ledger.openAccount(bob, "USD", "CUSTOMER");
    }

    @Test
    void replayingTheWholeInputTopicLeavesTheBooksAndTheEventsUnchanged() throws Exception {
        // Given postings, a decline and a transfer back, all applied and published
        List<String> payments = new ArrayList<>();
        payments.add(send(bank, alice, 10_000));
        payments.add(send(alice, bob, 4_000));
        payments.add(send(alice, bob, 7_000));
        payments.add(send(bob, alice, 1_000));
        ledger.outcomesFor(payments.toArray(String[]::new));
        Map<String, Object> before = snapshot();

        // When the consumer group is reset to offset 0 and the whole topic is consumed again
        fraudDecisionContainer.stop();
        resetLedgerGroupToEarliest();
        fraudDecisionContainer.start();
        awaitLedgerCaughtUp();

        // Then nothing moved twice and nothing was published twice
        assertThat(snapshot()).isEqualTo(before);
        for (String payment : payments) {
            assertThat(ledger.allOutcomesFor(payment)).as("outcomes of %s", payment).hasSize(1);
        }
        assertThat(new BooksVerifier(jdbi).verify().holds()).isTrue();
    }

    @Test
    void exhaustedRetriesNeitherSkipNorAcknowledgeAndTheLedgerRecoversByItself() {
        // Given the database aborts every write to these accounts as a serialization failure
        String payment;
        double exhaustedBefore = exhausted();
        double failedAttemptsBefore = failedAttempts();
        jdbi.useHandle(handle -> {
            handle.execute("""
                    CREATE OR REPLACE FUNCTION inject_serialization_failure() RETURNS trigger AS $$
                    BEGIN
                      RAISE EXCEPTION 'injected serialization failure' USING ERRCODE = 'serialization_failure';
                    END $$ LANGUAGE plpgsql""");
            handle.execute("CREATE TRIGGER inject_serialization_failure BEFORE UPDATE ON accounts FOR EACH ROW "
                    + "WHEN (OLD.account_id = '" + alice + "') EXECUTE FUNCTION inject_serialization_failure()");
        });
        try {
            // When a payment to alice arrives
            payment = send(bank, alice, 2_500);

            // Then every attempt fails, the retries run out, and the payment is neither applied nor skipped
            await().atMost(LedgerTestSupport.TIMEOUT).until(() -> exhausted() > exhaustedBefore);
            // And the consumer says so: each failed attempt of the batch is counted (and logged)
            await().atMost(LedgerTestSupport.TIMEOUT).until(() -> failedAttempts() > failedAttemptsBefore);
            assertThat(ledger.api.get("/v1/transactions/" + payment).status()).isEqualTo(404);
            assertThat(ledger.balance(alice)).isZero();
        } finally {
            // When the database recovers
            jdbi.useHandle(handle -> handle.execute("DROP TRIGGER inject_serialization_failure ON accounts"));
        }

        // Then the same record is applied, once, without anyone intervening
        assertThat(ledger.outcomesFor(payment)).hasSize(1);
        assertThat(ledger.balance(alice)).isEqualTo(2_500);
        assertThat(ledger.allOutcomesFor(payment)).hasSize(1);
    }

    private double failedAttempts() {
        return meters.counter("payledger.consumer.failed.attempts", "group", "ledger-service",
                "topic", "payments.fraud-decisions").count();
    }

    private double exhausted() {
        return meters.counter("ledger.transaction.retries.exhausted").count();
    }

    private String send(String from, String to, long amount) {
        String payment = UUID.randomUUID().toString();
        ledger.send(approved(payment, from, to, amount, "USD"));
        return payment;
    }

    private Map<String, Object> snapshot() {
        return jdbi.withHandle(handle -> {
            Map<String, Object> state = new HashMap<>();
            state.put("accounts", handle.createQuery(
                    "SELECT account_id, balance_minor, last_sequence FROM accounts ORDER BY account_id").mapToMap().list());
            state.put("transactions", handle.createQuery("SELECT count(*) FROM transactions").mapTo(Long.class).one());
            state.put("entries", handle.createQuery("SELECT count(*) FROM entries").mapTo(Long.class).one());
            return state;
        });
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.kafkaBootstrapServers()));
    }

    private static void resetLedgerGroupToEarliest() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> earliest = new HashMap<>();
            for (int partition = 0; partition < 12; partition++) {
                earliest.put(new TopicPartition(Topics.FRAUD_DECISIONS.name(), partition), new OffsetAndMetadata(0));
            }
            // The group must be empty: the stopped container has left it, but the broker may take a moment.
            await().atMost(LedgerTestSupport.TIMEOUT).ignoreExceptions().until(() -> {
                admin.alterConsumerGroupOffsets("ledger-service", earliest).all().get(10, TimeUnit.SECONDS);
                return true;
            });
        }
    }

    private static void awaitLedgerCaughtUp() {
        await().atMost(LedgerTestSupport.TIMEOUT).until(() -> {
            try (Admin admin = admin()) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("ledger-service")
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                return committed.entrySet().stream()
                        .allMatch(e -> e.getValue().offset() >= ends.get(e.getKey()).offset());
            }
        });
    }
}
