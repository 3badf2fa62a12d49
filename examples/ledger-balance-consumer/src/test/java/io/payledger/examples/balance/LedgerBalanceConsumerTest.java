package io.payledger.examples.balance;

import static io.payledger.examples.balance.Entries.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.events.EntryPosted;
import io.payledger.infra.EmbeddedKafkaBroker;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The example against a real broker, with ledger.entries written the way the ledger writes it: in transactions. */
class LedgerBalanceConsumerTest {

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafkaBroker.builder().start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.LEDGER_ENTRIES.name(), 3, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void reportsEachAccountsBalanceAndExactlyTheGapInTheOneWithAMissingEntry() {
        // Given alice's entries 1-3 and bob's entries 1 and 3 (2 is missing), committed
        try (KafkaProducer<String, EntryPosted> ledger = transactionalProducer()) {
            ledger.initTransactions();
            ledger.beginTransaction();
            send(ledger, entry("alice", 1, 10_000, 10_000));
            send(ledger, entry("bob", 1, 2_500, 2_500));
            send(ledger, entry("alice", 2, -2_500, 7_500));
            send(ledger, entry("alice", 3, -1_000, 6_500));
            send(ledger, entry("bob", 3, 1_000, 4_500));
            ledger.commitTransaction();
            // and an entry for alice in a transaction that aborted, which a read_committed reader never sees
            ledger.beginTransaction();
            send(ledger, entry("alice", 4, -99_999, -93_499));
            ledger.flush();
            ledger.abortTransaction();
        }

        // When the example reads ledger.entries
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exitCode = LedgerBalanceConsumer.run(kafka.bootstrapServers(), Map.of(),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        // Then it reports both balances from the committed entries, bob's gap and nothing else, and fails
        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "balance alice 6500 USD (sequence 3)",
                "balance bob 3500 USD (sequence 3)",
                "gap bob: sequence 2 missing",
                "5 entries, 2 accounts; gaps 1, duplicates 0, unusable 0, redrives for other groups skipped 0");
        assertThat(exitCode).isEqualTo(1);
    }

    private static KafkaProducer<String, EntryPosted> transactionalProducer() {
        return new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ledger-balance-consumer-test"),
                Topics.LEDGER_ENTRIES.keySerde().serializer(),
                Topics.LEDGER_ENTRIES.valueSerde(SerdeSettings.singleObjectEncoding()).serializer());
    }

    private static void send(KafkaProducer<String, EntryPosted> producer, EntryPosted entry) {
        // Keyed by the entry's account, as the ledger keys it: one account's entries share a partition.
        producer.send(new ProducerRecord<>(Topics.LEDGER_ENTRIES.name(), entry.getAccountId(), entry));
    }
}
