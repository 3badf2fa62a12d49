package io.payledger.ops;

import io.payledger.events.EntryPosted;
import io.payledger.schemas.serde.SchemaRegistryUnavailableException;
import io.payledger.schemas.topic.TopicEnd;
import io.payledger.schemas.topic.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * {@code rebuild}: recomputes every account's balance and last sequence twice, from the {@code entries}
 * table and from the {@code ledger.entries} topic, and compares both with the live {@code accounts}.
 * Prints each account where any of the three differ, and exits 1 if there is one.
 *
 * <p>The book is read in one snapshot, taken first; the topic is then read from the beginning to its end
 * ({@code read_committed}, in no consumer group) and decoded as its consumers decode it (a record that
 * does not decode is skipped and counted). An entry on the topic past the account's last sequence in the
 * snapshot was posted after it and is left out, and counted. Both recomputations go into temporary
 * tables in the ledger's database (dropped at the end), and one query compares all three.
 */
final class RebuildCommand {

    private static final Duration READ_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int BATCH = 5_000;

    private final OpsEnvironment environment;
    private final PrintStream out;

    RebuildCommand(OpsEnvironment environment, PrintStream out) {
        this.environment = environment;
        this.out = out;
    }

    /** One account's balance and last sequence, as rebuilt from the topic. */
    private static final class Rebuilt {
        long balance;
        long lastSequence;
    }

    int run(List<String> arguments) {
        Options options = Options.parse(arguments, Set.of(), Set.of("no-topic"));
        boolean fromTopic = !options.flag("no-topic");
        try (Progress progress = new Progress(out, "rebuild")) {
            int exit = environment.ledger().inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
                // Sums and comparisons of every account in memory rather than spilled to disk: this transaction only.
                handle.execute("SET LOCAL work_mem = '256MB'");
                progress.stage("summing entries into a shadow table");
                handle.execute("""
                        CREATE TEMPORARY TABLE rebuild_from_entries ON COMMIT DROP AS
                        SELECT account_id, sum(amount_minor) AS balance_minor, max(sequence) AS last_sequence,
                               count(*) AS entries
                          FROM entries GROUP BY account_id""");
                handle.execute("ALTER TABLE rebuild_from_entries ADD PRIMARY KEY (account_id)");
                long entries = handle.createQuery("SELECT coalesce(sum(entries), 0) FROM rebuild_from_entries")
                        .mapTo(Long.class).one();
                out.printf("from the entries table: %d entries summed (%s)%n", entries, progress.elapsed());
                if (fromTopic) {
                    progress.stage("reading the accounts' last sequences");
                    Map<String, Long> snapshotSequences = new HashMap<>();
                    handle.createQuery("SELECT account_id, last_sequence FROM accounts")
                            .map((rs, ctx) -> snapshotSequences.put(rs.getString(1), rs.getLong(2))).forEach(x -> { });
                    Map<String, Rebuilt> rebuilt = readTopic(progress, snapshotSequences);
                    progress.stage("writing the topic's balances to a shadow table");
                    writeTopicTable(handle, rebuilt);
                }
                progress.stage("comparing");
                return compare(handle, fromTopic);
            });
            out.println("rebuild took " + progress.elapsed());
            return exit;
        }
    }

    private Map<String, Rebuilt> readTopic(Progress progress, Map<String, Long> snapshotSequences) {
        String topic = Topics.LEDGER_ENTRIES.name();
        Deserializer<EntryPosted> values = Topics.LEDGER_ENTRIES.valueSerde(environment.serdeSettings()).deserializer();
        Map<String, Rebuilt> rebuilt = new HashMap<>();
        long decoded = 0;
        long undecodable = 0;
        long afterSnapshot = 0;
        List<String> undecodableAt = new ArrayList<>();
        progress.stage("finding the end of " + topic);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                environment.kafka().readerConfig("payledger-ops.rebuild", 5_000))) {
            List<TopicPartition> partitions = TopicEnd.partitions(consumer, topic, Duration.ofSeconds(30));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // read_committed: the end is the last stable offset, so what is read is what was committed by now.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
            long total = partitions.stream().mapToLong(p -> end.get(p) - start.get(p)).sum();
            progress.stage("reading " + topic, n -> String.format("%,d of about %,d records", n, total));
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            List<TopicPartition> remaining = new ArrayList<>(partitions);
            remaining.removeIf(p -> consumer.position(p) >= end.get(p));
            consumer.pause(partitions.stream().filter(p -> !remaining.contains(p)).toList());
            while (!remaining.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic + " to its end");
                }
                int read = 0;
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    read++;
                    EntryPosted entry = decode(values, record);
                    if (entry == null) {
                        undecodable++;
                        if (undecodableAt.size() < 5) {
                            undecodableAt.add(record.topic() + "-" + record.partition() + "@" + record.offset());
                        }
                        continue;
                    }
                    Long snapshotSequence = snapshotSequences.get(entry.getAccountId());
                    if (snapshotSequence != null && entry.getSequence() > snapshotSequence) {
                        afterSnapshot++;
                        continue;
                    }
                    decoded++;
                    Rebuilt account = rebuilt.computeIfAbsent(entry.getAccountId(), id -> new Rebuilt());
                    account.balance = Math.addExact(account.balance, entry.getAmountMinor());
                    account.lastSequence = Math.max(account.lastSequence, entry.getSequence());
                }
                progress.add(read);
                List<TopicPartition> done = remaining.stream().filter(p -> consumer.position(p) >= end.get(p)).toList();
                remaining.removeAll(done);
                consumer.pause(done);
            }
        }
        out.printf("from %s: %d entries of %d accounts (%s)%n", topic, decoded, rebuilt.size(), progress.elapsed());
        if (undecodable > 0) {
            out.printf("  %d records that do not decode skipped, e.g. %s%n", undecodable, String.join(", ", undecodableAt));
        }
        if (afterSnapshot > 0) {
            out.printf("  %d entries posted after the book's snapshot left out%n", afterSnapshot);
        }
        return rebuilt;
    }

    /** The record's entry, or null if it does not decode (none of the ledger's events: its consumers skip it too). */
    private static EntryPosted decode(Deserializer<EntryPosted> values, ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return values.deserialize(record.topic(), record.headers(), record.value());
        } catch (SchemaRegistryUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void writeTopicTable(Handle handle, Map<String, Rebuilt> rebuilt) {
        handle.execute("""
                CREATE TEMPORARY TABLE rebuild_from_topic (
                    account_id text PRIMARY KEY, balance_minor bigint NOT NULL, last_sequence bigint NOT NULL
                ) ON COMMIT DROP""");
        PreparedBatch batch = handle.prepareBatch(
                "INSERT INTO rebuild_from_topic (account_id, balance_minor, last_sequence) VALUES (?, ?, ?)");
        int size = 0;
        for (Map.Entry<String, Rebuilt> account : rebuilt.entrySet()) {
            batch.add(account.getKey(), account.getValue().balance, account.getValue().lastSequence);
            if (++size == BATCH) {
                batch.execute();
                size = 0;
            }
        }
        if (size > 0) {
            batch.execute();
        }
    }

    private int compare(Handle handle, boolean fromTopic) {
        // Missing on one side reads as balance 0 at sequence 0 there: an account without entries has both.
        String query = fromTopic ? """
                SELECT coalesce(a.account_id, e.account_id, t.account_id) AS account_id, a.account_id IS NOT NULL AS live,
                       a.balance_minor AS live_balance, a.last_sequence AS live_sequence,
                       coalesce(e.balance_minor, 0) AS entries_balance, coalesce(e.last_sequence, 0) AS entries_sequence,
                       coalesce(t.balance_minor, 0) AS topic_balance, coalesce(t.last_sequence, 0) AS topic_sequence
                  FROM accounts a
                  FULL JOIN rebuild_from_entries e ON e.account_id = a.account_id
                  FULL JOIN rebuild_from_topic t ON t.account_id = coalesce(a.account_id, e.account_id)
                 WHERE a.account_id IS NULL
                    OR (a.balance_minor, a.last_sequence) <> (coalesce(e.balance_minor, 0), coalesce(e.last_sequence, 0))
                    OR (a.balance_minor, a.last_sequence) <> (coalesce(t.balance_minor, 0), coalesce(t.last_sequence, 0))
                 ORDER BY 1""" : """
                SELECT coalesce(a.account_id, e.account_id) AS account_id, a.account_id IS NOT NULL AS live,
                       a.balance_minor AS live_balance, a.last_sequence AS live_sequence,
                       coalesce(e.balance_minor, 0) AS entries_balance, coalesce(e.last_sequence, 0) AS entries_sequence,
                       NULL::bigint AS topic_balance, NULL::bigint AS topic_sequence
                  FROM accounts a
                  FULL JOIN rebuild_from_entries e ON e.account_id = a.account_id
                 WHERE a.account_id IS NULL
                    OR (a.balance_minor, a.last_sequence) <> (coalesce(e.balance_minor, 0), coalesce(e.last_sequence, 0))
                 ORDER BY 1""";
        long accounts = handle.createQuery("SELECT count(*) FROM accounts").mapTo(Long.class).one();
        out.printf("%-36s %24s %24s %24s%n", "ACCOUNT", "LIVE (balance #seq)", "FROM ENTRIES", "FROM TOPIC");
        long[] differing = {0};
        handle.createQuery(query).map((rs, ctx) -> {
            differing[0]++;
            String live = rs.getBoolean("live") ? cell(rs.getLong("live_balance"), rs.getLong("live_sequence"))
                    : "(no account)";
            String topic = rs.getObject("topic_balance") == null ? "-"
                    : cell(rs.getLong("topic_balance"), rs.getLong("topic_sequence"));
            out.printf("%-36s %24s %24s %24s%n", rs.getString("account_id"), live,
                    cell(rs.getLong("entries_balance"), rs.getLong("entries_sequence")), topic);
            return 1;
        }).forEach(x -> { });
        if (differing[0] == 0) {
            out.printf("no difference: all %d accounts' balances and last sequences match the entries%s%n", accounts,
                    fromTopic ? " and the topic" : "");
            return 0;
        }
        out.printf("DIFFERENCE: %d of %d accounts differ%n", differing[0], accounts);
        return 1;
    }

    private static String cell(long balance, long sequence) {
        return balance + " #" + sequence;
    }
}
