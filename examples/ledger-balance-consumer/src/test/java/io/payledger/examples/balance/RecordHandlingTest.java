package io.payledger.examples.balance;

import static io.payledger.examples.balance.Entries.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.events.EntryPosted;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.DeadLetterHeaders;
import io.payledger.schemas.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What the example does with records no ledger should have written: it reports them and reads on. */
class RecordHandlingTest {

    private final LedgerBalanceConsumer consumer = new LedgerBalanceConsumer(SerdeSettings.singleObjectEncoding());
    private long offset;

    @Test
    void recordsThatCannotBeUsedAreReportedAndTheRestCounted() {
        // Given a good entry, a value that is not Avro, an entry under another account's key, and a good entry
        accept("alice", bytes(entry("alice", 1, 500, 500)));
        accept("alice", "not avro".getBytes(StandardCharsets.UTF_8));
        accept("bob", bytes(entry("alice", 2, 700, 1_200)));
        accept("alice", bytes(entry("alice", 2, 100, 600)));

        // When the report is printed
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exitCode = consumer.report(new PrintStream(printed, true, StandardCharsets.UTF_8));

        // Then the good entries make the balance, and each bad record is named by its offset
        assertThat(printed.toString(StandardCharsets.UTF_8).lines().toList())
                .first().isEqualTo("balance alice 600 USD (sequence 2)");
        assertThat(printed.toString(StandardCharsets.UTF_8).lines())
                .anyMatch(line -> line.startsWith("unusable ledger.entries-0@1: value on ledger.entries is not readable"))
                .contains("unusable ledger.entries-0@2: key bob is not the entry's account alice")
                .endsWith("2 entries, 1 accounts; gaps 0, duplicates 0, unusable 2, redrives for other groups skipped 0");
        assertThat(exitCode).isEqualTo(1);
    }

    @Test
    void aRedriveForAnotherConsumerGroupIsSkipped() {
        // Given an entry an operator redrove for some group's consumer
        ConsumerRecord<byte[], byte[]> redriven = record("alice", bytes(entry("alice", 1, 500, 500)));
        redriven.headers().add(DeadLetterHeaders.REDRIVE_TARGET_GROUP, "books-exporter".getBytes(StandardCharsets.UTF_8));

        // When it is read
        consumer.accept(redriven);

        // Then it is not counted
        assertThat(consumer.balances().balances()).isEmpty();
    }

    private void accept(String key, byte[] value) {
        consumer.accept(record(key, value));
    }

    private ConsumerRecord<byte[], byte[]> record(String key, byte[] value) {
        return new ConsumerRecord<>(Topics.LEDGER_ENTRIES.name(), 0, offset++, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static byte[] bytes(EntryPosted entry) {
        return Topics.LEDGER_ENTRIES.valueSerde(SerdeSettings.singleObjectEncoding()).serializer()
                .serialize(Topics.LEDGER_ENTRIES.name(), entry);
    }
}
