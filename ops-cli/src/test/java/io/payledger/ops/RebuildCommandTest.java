package io.payledger.ops;

import static io.payledger.ops.TestLedger.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.infra.EmbeddedKafkaBroker;
import io.payledger.ledger.messaging.LedgerEventRelaySource;
import io.payledger.ledger.persistence.JournalReader;
import io.payledger.ops.TestLedger.Result;
import io.payledger.platform.relay.RelayPosition;
import io.payledger.platform.relay.RelayedMessage;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.KafkaTestClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rebuild} against a real PostgreSQL and a real broker. Each test has a broker of its own: the
 * command reads all of {@code ledger.entries}, so another test's entries there would be differences here.
 */
class RebuildCommandTest {

    private EmbeddedKafkaBroker broker;
    private KafkaTestClient kafka;
    private TestLedger books;

    @BeforeEach
    void aLedgerAndItsPublishedEntries() {
        // Given a ledger with four accounts and five payments
        broker = EmbeddedKafkaBroker.builder().start();
        kafka = new KafkaTestClient(broker.bootstrapServers());
        kafka.createTopics(3, Topics.LEDGER_ENTRIES.name(), Topics.LEDGER_TRANSACTIONS.name(), Topics.LEDGER_ACCOUNTS.name());
        books = new TestLedger("alice", "bob", "carol");
        books.environment.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        books.post(payment("bank", "alice", 10_000), payment("bank", "bob", 5_000), payment("alice", "carol", 2_500),
                payment("bob", "carol", 700), payment("carol", "alice", 100));
    }

    @AfterEach
    void stopTheBroker() {
        kafka.close();
        broker.close();
    }

    @Test
    void aHealthyBookHasNoDifference() {
        // Given every entry published, as the ledger's relay publishes it
        publishEntries(message -> true);

        // When the operator rebuilds the balances
        Result rebuild = books.ops("rebuild");

        // Then all three agree
        assertThat(rebuild.exit()).as(rebuild.output()).isZero();
        assertThat(rebuild.output()).contains("from the entries table: 10 entries summed")
                .contains("from ledger.entries: 10 entries of 4 accounts")
                .contains("no difference: all 4 accounts' balances and last sequences match the entries and the topic")
                .contains("rebuild took ");
    }

    @Test
    void twoLiveBalancesEditedByHandAreNamedAndNoOtherAccount() {
        // Given every entry published, then bob's and carol's balances changed by hand
        publishEntries(message -> true);
        books.execute("UPDATE accounts SET balance_minor = balance_minor + 1 WHERE account_id = 'bob'");
        books.execute("UPDATE accounts SET balance_minor = balance_minor - 50 WHERE account_id = 'carol'");

        // When the operator rebuilds
        Result rebuild = books.ops("rebuild");

        // Then exactly bob and carol are listed, with the live value against both rebuilt ones
        assertThat(rebuild.exit()).as(rebuild.output()).isEqualTo(1);
        assertThat(differing(rebuild)).containsExactly(
                "bob 4301 #2 4300 #2 4300 #2",
                "carol 3050 #3 3100 #3 3100 #3");
        assertThat(rebuild.output()).contains("DIFFERENCE: 2 of 4 accounts differ");
    }

    @Test
    void aDeletedEntryAndAnUnpublishedOneAreNamedWithTheSourceThatLacksThem() {
        // Given alice's last entry deleted from the table (it was published), and carol's last one never published
        publishEntries(message -> !isEntry(message, "carol", 3));
        books.execute("DELETE FROM entries WHERE account_id = 'alice' AND sequence = 3");

        // When the operator rebuilds
        Result rebuild = books.ops("rebuild");

        // Then alice differs from her entries, carol from the topic, and no one else
        assertThat(rebuild.exit()).as(rebuild.output()).isEqualTo(1);
        assertThat(differing(rebuild)).containsExactly(
                "alice 7600 #3 7500 #2 7600 #3",
                "carol 3100 #3 3100 #3 3200 #2");
    }

    @Test
    void aRecordThatDoesNotDecodeIsSkippedAndCounted() {
        // Given every entry published, and a record on ledger.entries that is none of the ledger's events
        publishEntries(message -> true);
        kafka.send(Topics.LEDGER_ENTRIES.name(), "mallory", "not avro".getBytes(StandardCharsets.UTF_8));

        // When the operator rebuilds
        Result rebuild = books.ops("rebuild");

        // Then it is left out, and said so
        assertThat(rebuild.exit()).as(rebuild.output()).isZero();
        assertThat(rebuild.output()).contains("1 records that do not decode skipped, e.g. ledger.entries-")
                .contains("no difference");
    }

    /** The journal's events, made by the ledger's own relay source, sent as the relay sends them. */
    private void publishEntries(Predicate<RelayedMessage> which) {
        LedgerEventRelaySource source = new LedgerEventRelaySource(new JournalReader(books.ledger),
                SerdeSettings.fromRegistryUrl(null));
        for (RelayedMessage message : source.fetchAfter(RelayPosition.START, 10_000).messages()) {
            if (which.test(message)) {
                kafka.send(message.topic(), new String(message.key(), StandardCharsets.UTF_8), message.value(),
                        message.headers());
            }
        }
    }

    private static boolean isEntry(RelayedMessage message, String account, long sequence) {
        if (!message.topic().equals(Topics.LEDGER_ENTRIES.name())) {
            return false;
        }
        var entry = Topics.LEDGER_ENTRIES.valueSerde(SerdeSettings.fromRegistryUrl(null)).deserializer()
                .deserialize(message.topic(), message.value());
        return entry.getAccountId().equals(account) && entry.getSequence() == sequence;
    }

    /** The listed accounts, each as "account live #seq entries #seq topic #seq". */
    private static List<String> differing(Result rebuild) {
        String table = rebuild.output().substring(rebuild.output().indexOf("ACCOUNT"));
        return table.lines().skip(1).takeWhile(line -> !line.startsWith("DIFFERENCE") && !line.startsWith("no difference"))
                .map(line -> line.trim().replaceAll("\\s+", " ")).toList();
    }
}
