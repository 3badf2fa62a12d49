package io.payledger.examples.balance;

import io.payledger.events.EntryPosted;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.DeadLetterHeaders;
import io.payledger.schemas.topic.TopicEnd;
import io.payledger.schemas.topic.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads {@code ledger.entries} from the beginning to its current end, as a downstream team would with
 * nothing but the {@code schemas} jar, and prints every account's balance, every gap in an account's
 * sequence and every entry read twice. Exits 1 if it found a gap or a record it could not use.
 *
 * <p>Settings, from the environment: {@code KAFKA_BOOTSTRAP_SERVERS} (default {@code localhost:9092}, the
 * local stack's broker; the first argument overrides it), {@code KAFKA_CLIENT_CONFIG} (a Kafka client
 * properties file, for a secured cluster) and {@code SCHEMA_REGISTRY_URL} (only to read records written in
 * Confluent framing).
 */
public final class LedgerBalanceConsumer {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final Deserializer<String> keys = Topics.LEDGER_ENTRIES.keySerde().deserializer();
    private final Deserializer<EntryPosted> values;
    private final AccountBalances balances = new AccountBalances();
    private final List<String> unusable = new ArrayList<>();
    private int entriesRead;
    private int redrivesSkipped;

    public LedgerBalanceConsumer(SerdeSettings serdeSettings) {
        // The platform's own serde: it reads both framings and every published version of EntryPosted.
        this.values = Topics.LEDGER_ENTRIES.valueSerde(serdeSettings).deserializer();
    }

    public static void main(String[] args) {
        String bootstrapServers = args.length > 0 ? args[0]
                : System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        System.exit(run(bootstrapServers, System.getenv(), System.out));
    }

    /** Reads the topic, prints the report to {@code out}, and returns the exit code. */
    static int run(String bootstrapServers, Map<String, String> environment, PrintStream out) {
        LedgerBalanceConsumer consumer = new LedgerBalanceConsumer(
                SerdeSettings.fromRegistryUrl(environment.get("SCHEMA_REGISTRY_URL")));
        // Security settings from the file; what this reader relies on (read_committed, bytes) wins.
        Map<String, Object> config = clientConfig(environment.get("KAFKA_CLIENT_CONFIG"));
        config.putAll(TopicEnd.readCommittedConsumerConfig(bootstrapServers));
        consumer.readToEnd(config);
        return consumer.report(out);
    }

    /**
     * Reads every committed record of {@code ledger.entries} up to its end. The config must read
     * {@code read_committed} (the platform writes the topic in transactions; an uncommitted reader would
     * count entries of aborted attempts) and raw bytes, which this decodes record by record so that one bad
     * record is reported instead of stopping the reader.
     */
    public void readToEnd(Map<String, Object> consumerConfig) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
            for (ConsumerRecord<byte[], byte[]> record : TopicEnd.readAll(consumer, Topics.LEDGER_ENTRIES.name(),
                    READ_TIMEOUT)) {
                accept(record);
            }
        }
    }

    /** Counts one record of the topic, or reports why it cannot. */
    void accept(ConsumerRecord<byte[], byte[]> record) {
        // An operator's redrive is for the one consumer group it names; this reader is none of them.
        if (record.headers().lastHeader(DeadLetterHeaders.REDRIVE_TARGET_GROUP) != null) {
            redrivesSkipped++;
            return;
        }
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        try {
            String key = keys.deserialize(record.topic(), record.key());
            EntryPosted entry = values.deserialize(record.topic(), record.value());
            if (entry == null || !entry.getAccountId().equals(key)) {
                // The key decides the partition, and so the order; an entry under another key is out of order.
                unusable.add(where + ": key " + key + " is not the entry's account "
                        + (entry == null ? "(no value)" : entry.getAccountId()));
                return;
            }
            balances.apply(entry);
            entriesRead++;
        } catch (RuntimeException e) {
            // Trust nothing read from a topic: anyone with write access could have written it.
            unusable.add(where + ": " + e.getMessage());
        }
    }

    public AccountBalances balances() {
        return balances;
    }

    /** Prints what was found; 0 if the entries were complete and usable, 1 otherwise. */
    int report(PrintStream out) {
        for (AccountBalances.Balance balance : balances.balances()) {
            out.printf("balance %s %d %s (sequence %d)%n", balance.accountId(), balance.balanceMinor(),
                    balance.currency(), balance.lastSequence());
        }
        for (AccountBalances.Gap gap : balances.gaps()) {
            out.printf("gap %s: sequence %s missing%n", gap.accountId(), gap.firstMissing() == gap.lastMissing()
                    ? Long.toString(gap.firstMissing()) : gap.firstMissing() + " to " + gap.lastMissing());
        }
        for (AccountBalances.Duplicate duplicate : balances.duplicates()) {
            out.printf("duplicate %s: sequence %d again (event %s), not counted%n", duplicate.accountId(),
                    duplicate.sequence(), duplicate.eventId());
        }
        unusable.forEach(problem -> out.println("unusable " + problem));
        out.printf("%d entries, %d accounts; gaps %d, duplicates %d, unusable %d, redrives for other groups skipped %d%n",
                entriesRead, balances.balances().size(), balances.gaps().size(), balances.duplicates().size(),
                unusable.size(), redrivesSkipped);
        return balances.gaps().isEmpty() && unusable.isEmpty() ? 0 : 1;
    }

    private static Map<String, Object> clientConfig(String file) {
        Properties properties = new Properties();
        if (file != null && !file.isBlank()) {
            try (InputStream in = Files.newInputStream(Path.of(file))) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read KAFKA_CLIENT_CONFIG " + file, e);
            }
        }
        Map<String, Object> config = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> config.put(name, properties.getProperty(name)));
        return config;
    }
}
