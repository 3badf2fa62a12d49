package io.payledger.benchmarks;

import io.payledger.events.EntryPosted;
import io.payledger.infra.EmbeddedKafkaBroker;
import io.payledger.infra.EmbeddedPostgresServer;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.flywaydb.core.Flyway;

/**
 * {@code payledger-ops verify} and {@code rebuild} on a large book: {@code entries} entries (default one
 * million) on {@code accounts} customer accounts (default 10,000), built with set-based SQL in a real
 * PostgreSQL (the ledger's own migrations; each account funded once from a system account, then transfers
 * of 1..100 minor units between customers, one a second of posting time) and published, one record per
 * entry with the ledger's serializer, to {@code ledger.entries} on a real broker. Each command then runs as
 * a process of its own (the {@code payledger-ops} main class, {@code -Xmx1g}), timed from outside, with its
 * peak resident set ({@code VmHWM}) and, from its {@code -Xlog:gc} log, the most heap it used (before a
 * collection) and the most it kept (after one). Progress on stderr; the figures as a table on stdout.
 * {@code -DholdSeconds=N} pauses after building the book, to look at it by hand.
 *
 * <pre>
 * ./mvnw -q -B -DskipTests package -pl benchmarks -am
 * java -Dloader.main=io.payledger.benchmarks.OpsBenchmark -cp benchmarks/target/benchmarks-*-exec.jar \
 *     org.springframework.boot.loader.launch.PropertiesLauncher
 * </pre>
 */
public final class OpsBenchmark {

    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private final EmbeddedPostgresServer postgres;
    private final EmbeddedKafkaBroker broker;
    private final String url;

    private OpsBenchmark(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        this.postgres = postgres;
        this.broker = broker;
        this.url = postgres.createDatabase("opsbench");
    }

    public static void main(String[] args) throws Exception {
        int accounts = Integer.getInteger("accounts", 10_000);
        int entries = Integer.getInteger("entries", 1_000_000);
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.builder().start();
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
            new OpsBenchmark(postgres, broker).run(accounts, entries);
        }
    }

    private void run(int accounts, int entryCount) throws Exception {
        long started = System.nanoTime();
        buildBook(accounts, entryCount / 2);
        log("book built in %.1f s", seconds(started));
        long hold = Long.getLong("holdSeconds", 0);
        if (hold > 0) {
            // To look at the book by hand (psql, EXPLAIN) before the commands run.
            log("holding %d s: %s user %s password %s", hold, url, postgres.username(), postgres.password());
            Thread.sleep(hold * 1000);
        }
        started = System.nanoTime();
        long published = publishEntries();
        log("%d entries published to ledger.entries in %.1f s", published, seconds(started));

        int rangeSequence = Math.max(1, entryCount / accounts - entryCount / accounts / 10);
        String since = Instant.now().minus(Duration.ofHours(1)).toString();
        List<String[]> commands = List.of(
                // An empty range: the fixed cost of a run (JVM start, connecting, one scan of the entries).
                new String[] {"verify", "--from-sequence", "1000000000"},
                new String[] {"verify"},
                new String[] {"verify", "--from-sequence", Integer.toString(rangeSequence)},
                new String[] {"verify", "--since", since},
                new String[] {"rebuild", "--no-topic"},
                new String[] {"rebuild"});
        List<String> rows = new ArrayList<>();
        for (String[] command : commands) {
            rows.add(measure(command));
        }
        System.out.printf("%n%d entries, %d accounts, %d CPUs%n", entryCount, accounts,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("| command | exit | elapsed (process) | its own \"took\" | load average before | peak RSS "
                + "| peak heap used | max heap after GC |%n");
        System.out.printf("| --- | --- | --- | --- | --- | --- | --- | --- |%n");
        rows.forEach(System.out::println);
    }

    /** Accounts, transactions and entries, consistent by construction, in a handful of statements. */
    private void buildBook(int accounts, int transactions) throws Exception {
        Flyway.configure().dataSource(url, postgres.username(), postgres.password()).schemas("ledger")
                .defaultSchema("ledger").locations("classpath:db/migration/ledger").load().migrate();
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            sql.execute("SET search_path TO ledger");
            sql.execute("""
                    INSERT INTO accounts (account_id, currency, type) VALUES ('bank', 'USD', 'SYSTEM');
                    INSERT INTO accounts (account_id, currency, type)
                    SELECT 'acct-' || lpad(i::text, 6, '0'), 'USD', 'CUSTOMER' FROM generate_series(0, %1$d - 1) i;
                    """.formatted(accounts));
            log("accounts opened");
            // Payment n: the first `accounts` fund each customer with 10,000.00 from the bank; the rest move
            // 1..100 minor units from one customer to another (never below zero: at most ~150 debits each).
            sql.execute("""
                    CREATE UNLOGGED TABLE bench_payments AS
                    SELECT n, md5(n::text)::uuid AS transaction_id,
                           CASE WHEN n < %1$d THEN 'bank' ELSE 'acct-' || lpad((n * 7919 %% %1$d)::text, 6, '0') END
                               AS source,
                           CASE WHEN n < %1$d THEN 'acct-' || lpad(n::text, 6, '0')
                                ELSE 'acct-' || lpad(((n * 7919 + 1 + n %% (%1$d - 1)) %% %1$d)::text, 6, '0') END
                               AS destination,
                           CASE WHEN n < %1$d THEN 1000000 ELSE 1 + n %% 100 END AS amount,
                           now() - (%2$d - n) * interval '1 second' AS posted_at
                      FROM generate_series(0::bigint, %2$d - 1) n
                    """.formatted(accounts, transactions));
            log("payments generated");
            sql.execute("""
                    INSERT INTO entries (account_id, sequence, transaction_id, counterparty_account_id, amount_minor,
                                         currency, balance_after, posted_at)
                    SELECT account_id, row_number() OVER w, transaction_id, counterparty, amount, 'USD', sum(amount) OVER w,
                           posted_at
                      FROM (SELECT n, 0 AS leg, transaction_id, source AS account_id, destination AS counterparty,
                                   -amount AS amount, posted_at FROM bench_payments
                            UNION ALL
                            SELECT n, 1, transaction_id, destination, source, amount, posted_at FROM bench_payments) legs
                    WINDOW w AS (PARTITION BY account_id ORDER BY n, leg)
                    """);
            log("entries posted");
            sql.execute("""
                    INSERT INTO transactions (transaction_id, status, source_account_id, destination_account_id,
                                              amount_minor, currency, applied_at, source_sequence, source_balance_after,
                                              destination_sequence, destination_balance_after, journal_ordinal)
                    SELECT p.transaction_id, 'POSTED', p.source, p.destination, p.amount, 'USD', p.posted_at,
                           s.sequence, s.balance_after, d.sequence, d.balance_after, p.n
                      FROM bench_payments p
                      JOIN entries s ON s.transaction_id = p.transaction_id AND s.account_id = p.source
                      JOIN entries d ON d.transaction_id = p.transaction_id AND d.account_id = p.destination
                    """);
            sql.execute("""
                    UPDATE accounts a SET balance_minor = e.balance, last_sequence = e.last
                      FROM (SELECT account_id, sum(amount_minor) AS balance, max(sequence) AS last
                              FROM entries GROUP BY account_id) e
                     WHERE e.account_id = a.account_id
                    """);
            sql.execute("DROP TABLE bench_payments");
            sql.execute("VACUUM ANALYZE accounts");
            sql.execute("VACUUM ANALYZE transactions");
            sql.execute("VACUUM ANALYZE entries");
            log("transactions and balances recorded");
        }
    }

    /** Every entry to ledger.entries, keyed by account, in sequence order per account. */
    private long publishEntries() throws Exception {
        String topic = Topics.LEDGER_ENTRIES.name();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
        }
        Serializer<EntryPosted> values = Topics.LEDGER_ENTRIES.valueSerde(SerdeSettings.fromRegistryUrl(null))
                .serializer();
        long sent = 0;
        try (Connection connection = connect();
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                     ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
                     ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                     ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                     ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            connection.setAutoCommit(false);
            // Every partition known before the first send; every send's outcome checked, not only the last.
            producer.partitionsFor(topic);
            java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicReference<Exception> firstFailure =
                    new java.util.concurrent.atomic.AtomicReference<>();
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT account_id, sequence, transaction_id::text, counterparty_account_id, amount_minor, currency,
                           balance_after, posted_at FROM ledger.entries ORDER BY account_id, sequence""")) {
                query.setFetchSize(10_000);
                Future<RecordMetadata> last = null;
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        EntryPosted entry = EntryPosted.newBuilder()
                                .setEventId("entry-posted/" + rows.getString(1) + "/" + rows.getLong(2))
                                .setOccurredAt(rows.getTimestamp(8).toInstant())
                                .setAccountId(rows.getString(1)).setSequence(rows.getLong(2))
                                .setTransactionId(rows.getString(3)).setPaymentId(rows.getString(3))
                                .setCounterpartyAccountId(rows.getString(4)).setAmountMinor(rows.getLong(5))
                                .setCurrency(rows.getString(6)).setBalanceAfter(rows.getLong(7)).build();
                        last = producer.send(new ProducerRecord<>(topic, rows.getString(1).getBytes(StandardCharsets.UTF_8),
                                values.serialize(topic, entry)), (metadata, failure) -> {
                                    if (failure != null) {
                                        failed.incrementAndGet();
                                        firstFailure.compareAndSet(null, failure);
                                    }
                                });
                        if (++sent % 200_000 == 0) {
                            log("%d entries published", sent);
                        }
                    }
                }
                producer.flush();
                if (last != null) {
                    last.get();
                }
                if (failed.get() > 0) {
                    throw new IllegalStateException(failed.get() + " entries not published", firstFailure.get());
                }
            }
        }
        return sent;
    }

    /** Runs one ops command as a process of its own and returns its table row. */
    private String measure(String[] command) throws Exception {
        Path gcLog = Files.createTempFile("ops-bench-gc", ".log");
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Xlog:gc:file=" + gcLog, "-cp", System.getProperty("java.class.path")));
        if (System.getProperty("java.class.path").endsWith(".jar")) {
            // Run from the benchmark's executable jar: its launcher finds the ops CLI's classes inside it.
            line.addAll(List.of("-Dloader.main=io.payledger.ops.OpsCli",
                    "org.springframework.boot.loader.launch.PropertiesLauncher"));
        } else {
            line.add("io.payledger.ops.OpsCli");
        }
        line.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().putAll(Map.of("DATABASE_URL", url, "DATABASE_USER", postgres.username(),
                "DATABASE_PASSWORD", postgres.password(), "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers()));
        String name = String.join(" ", command);
        log("running ops %s", name);
        String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        long started = System.nanoTime();
        Process process = builder.start();
        long peakRssKb = 0;
        // Its output (progress and report) goes to stderr as it comes; its own timing is kept.
        String[] took = {"?"};
        Thread reader = new Thread(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String output = lines.readLine(); output != null; output = lines.readLine()) {
                    System.err.println(output);
                    if (output.matches("(verify|rebuild) took .*")) {
                        took[0] = output.substring(output.indexOf("took ") + 5);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.start();
        while (process.isAlive()) {
            peakRssKb = Math.max(peakRssKb, peakRss(process.pid()));
            Thread.sleep(50);
        }
        reader.join();
        double elapsed = seconds(started);
        long maxBefore = 0;
        long maxAfter = 0;
        for (String gc : Files.readAllLines(gcLog)) {
            Matcher m = GC_LINE.matcher(gc);
            if (m.find()) {
                maxBefore = Math.max(maxBefore, Long.parseLong(m.group(1)));
                maxAfter = Math.max(maxAfter, Long.parseLong(m.group(2)));
            }
        }
        Files.deleteIfExists(gcLog);
        return String.format("| `ops %s` | %d | %.1f s | %s | %s | %d MB | %s | %s |", name, process.exitValue(), elapsed,
                took[0], load, peakRssKb / 1024, maxBefore == 0 ? "no GC" : maxBefore + " MB", maxAfter == 0 ? "no GC" : maxAfter + " MB");
    }

    private static long peakRss(long pid) {
        try {
            for (String status : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (status.startsWith("VmHWM:")) {
                    return Long.parseLong(status.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process just ended
        }
        return 0;
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(url, postgres.username(), postgres.password());
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.err.printf("[ops-bench] " + format + "%n", args);
    }
}
