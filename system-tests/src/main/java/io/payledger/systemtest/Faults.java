package io.payledger.systemtest;

import io.payledger.schemas.topic.TopicEnd;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.HttpApi;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The faults of the scenarios, each a {@link FaultDrill.Fault}. */
public final class Faults {

    private static final Logger log = LoggerFactory.getLogger(Faults.class);

    private Faults() {
    }

    /** SIGKILL, then a restart at once (on the same ports), waiting until it is ready. */
    public static FaultDrill.Fault killAndRestart(SystemStack stack, Service service) {
        return FaultDrill.fault(() -> stack.kill(service), () -> stack.restart(service));
    }

    /** The broker stopped (controlled shutdown, data kept) and started again at once. */
    public static FaultDrill.Fault brokerRestart(SystemStack stack) {
        return FaultDrill.fault(stack::stopBroker, stack::startBroker);
    }

    /** PostgreSQL stopped for {@code outage} (counted from the stop), then started again. */
    public static FaultDrill.Fault databaseOutage(SystemStack stack, Duration outage) {
        long[] stoppedAt = new long[1];
        return FaultDrill.fault(() -> {
            stoppedAt[0] = System.nanoTime();
            stack.stopDatabase();
        }, () -> {
            sleepUntil(stoppedAt[0] + outage.toNanos());
            stack.startDatabase();
        });
    }

    /**
     * The client sends every HTTP request twice concurrently and again once answered, same Idempotency-Key and body,
     * for {@code duration}; {@link PaymentTraffic#retries()} has what it got.
     */
    public static FaultDrill.Fault retryingClient(PaymentTraffic traffic, Duration duration) {
        long[] from = new long[1];
        return FaultDrill.fault(() -> {
            from[0] = System.nanoTime();
            traffic.retryEveryRequest(true);
        }, () -> {
            sleepUntil(from[0] + duration.toNanos());
            traffic.retryEveryRequest(false);
        });
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /**
     * Every record on the ledger's input, {@code payments.fraud-decisions}, from the moment this is made (before
     * the traffic) to the end of the scenario, produced a second time: same partition, key, value and headers, by a
     * producer with the stack's client settings (locally the broker's only user; on an external stack whatever
     * KAFKA_CLIENT_CONFIG names, which must be allowed to write the topic). Copies as they come from the injection
     * (the warm-up's records at once, then each as it arrives); after the traffic, once every payment is final, the
     * rest to the topic's end.
     */
    public static final class DuplicateLedgerInput implements FaultDrill.Fault {

        private final SystemStack stack;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final KafkaProducer<byte[], byte[]> producer;
        private final List<TopicPartition> partitions;
        private final AtomicBoolean live = new AtomicBoolean();
        private final AtomicLong duplicated = new AtomicLong();
        private final Map<TopicPartition, Long> from = new HashMap<>();
        /** The values copied so far: a copy, read back from the topic like any record, is not copied again. */
        private final Set<ByteBuffer> copied = new HashSet<>();
        private Thread thread;
        private volatile RuntimeException failure;

        public DuplicateLedgerInput(SystemStack stack) {
            this.stack = stack;
            Map<String, Object> consumerConfig = new HashMap<>(stack.kafkaClientSettings());
            consumerConfig.putAll(TopicEnd.readCommittedConsumerConfig(stack.kafkaBootstrapServers()));
            consumer = new KafkaConsumer<>(consumerConfig);
            partitions = TopicEnd.partitions(consumer, Topics.FRAUD_DECISIONS.name(), Duration.ofSeconds(30));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(partition -> from.put(partition, consumer.position(partition, Duration.ofSeconds(30))));
            Map<String, Object> producerConfig = new HashMap<>(stack.kafkaClientSettings());
            producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
            producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
            producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            producer = new KafkaProducer<>(producerConfig);
        }

        @Override
        public void inject(FaultDrill drill) {
            live.set(true);
            thread = new Thread(() -> {
                try {
                    while (live.get()) {
                        consumer.poll(Duration.ofMillis(100)).forEach(this::duplicate);
                        producer.flush();
                    }
                } catch (RuntimeException e) {
                    failure = e;
                }
            }, "duplicate-ledger-input");
            thread.start();
        }

        @Override
        public void restore(FaultDrill drill) throws InterruptedException {
            // duplicating goes on while the traffic flows: the whole window is duplicated
        }

        @Override
        public void afterTraffic(FaultDrill drill) throws InterruptedException {
            // every payment final: fraud-service has decided on all of them; then the rest to the topic's end
            drill.invariants().awaitFinal(drill.traffic().submissions(), Duration.ofMinutes(3));
            live.set(false);
            thread.join(30_000);
            if (failure != null) {
                throw new IllegalStateException("duplicating the ledger's input failed", failure);
            }
            try {
                TopicEnd.readToEnd(consumer, partitions, Duration.ofSeconds(30), this::duplicate);
                producer.flush();
            } finally {
                consumer.close();
                producer.close(Duration.ofSeconds(10));
            }
            log.info("Duplicated {} records of {} (from offsets {})", duplicated.get(), Topics.FRAUD_DECISIONS.name(),
                    from);
        }

        private void duplicate(ConsumerRecord<byte[], byte[]> record) {
            if (!copied.add(ByteBuffer.wrap(record.value()))) {
                return;
            }
            producer.send(new ProducerRecord<>(record.topic(), record.partition(), record.key(), record.value(),
                    record.headers()));
            duplicated.incrementAndGet();
        }

        /** How many records were produced a second time. */
        public long duplicated() {
            return duplicated.get();
        }

        /** The topic's records in the window, originals (and their copies, which are past these offsets). */
        public Map<TopicPartition, Long> from() {
            return Map.copyOf(from);
        }
    }

    /**
     * A row lock held on one account's row in the ledger's books ({@code ledger.accounts}, {@code SELECT ... FOR
     * UPDATE} inside an open transaction) for {@code hold}, then released (rollback). While it is held, samples what
     * the ledger's sessions wait on; before and after, the ledger's retry counters (its metrics) and, from its log,
     * what it said meanwhile.
     */
    public static final class RowLock implements FaultDrill.Fault {

        private static final Pattern METRIC = Pattern.compile("^(ledger_transaction_[a-z_]+_total)(?:\\{[^}]*})?\\s+([0-9.E+]+)$",
                Pattern.MULTILINE);

        private final SystemStack stack;
        private final String account;
        private final Duration hold;
        private Connection connection;
        private long lockedAt;
        private long logOffset;
        private Map<String, Double> metricsBefore = Map.of();
        private Map<String, Double> metricsAfter = Map.of();
        private final List<String> waits = new ArrayList<>();
        private String lockTimeout = "?";
        private List<String> logLines = List.of();

        public RowLock(SystemStack stack, String account, Duration hold) {
            this.stack = stack;
            this.account = account;
            this.hold = hold;
        }

        @Override
        public void inject(FaultDrill drill) throws Exception {
            metricsBefore = ledgerMetrics();
            logOffset = Files.size(stack.logFile(Service.LEDGER));
            SystemStack.Database database = stack.database();
            connection = DriverManager.getConnection(database.url(), database.user(), database.password());
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT balance_minor FROM ledger.accounts WHERE account_id = ? FOR UPDATE")) {
                lock.setString(1, account);
                try (ResultSet row = lock.executeQuery()) {
                    if (!row.next()) {
                        throw new IllegalStateException("no row for " + account + " in ledger.accounts");
                    }
                }
            }
            lockedAt = System.nanoTime();
            log.info("Row lock taken on {} for {}", account, hold);
        }

        @Override
        public void restore(FaultDrill drill) throws Exception {
            SystemStack.Database database = stack.database();
            try (Connection observer = DriverManager.getConnection(database.url(), database.user(), database.password());
                 Statement statement = observer.createStatement()) {
                // The ledger's own sessions set it as they connect (DATABASE_LOCK_TIMEOUT); pg_settings would show
                // this observer's, the server default.
                lockTimeout = System.getenv().getOrDefault("DATABASE_LOCK_TIMEOUT", "10s") + " (DATABASE_LOCK_TIMEOUT)";
                for (long at : new long[] {hold.toNanos() / 4, hold.toNanos() * 3 / 4}) {
                    sleepUntil(lockedAt + at);
                    try (ResultSet blocked = statement.executeQuery("""
                            SELECT count(*), coalesce(max(now() - query_start)::text, '-'),
                                   coalesce(max(left(query, 60)), '-')
                            FROM pg_stat_activity
                            WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()""")) {
                        blocked.next();
                        waits.add("%d s: %d sessions waiting on a lock (longest %s; %s)".formatted(
                                Duration.ofNanos(at).toSeconds(), blocked.getLong(1), blocked.getString(2),
                                blocked.getString(3).replaceAll("\\s+", " ")));
                    }
                }
            }
            sleepUntil(lockedAt + hold.toNanos());
            connection.rollback();
            connection.close();
            log.info("Row lock on {} released", account);
        }

        @Override
        public void afterTraffic(FaultDrill drill) throws Exception {
            metricsAfter = ledgerMetrics();
            // what the ledger logged from the lock on, warnings and errors only
            byte[] bytes = Files.readAllBytes(stack.logFile(Service.LEDGER));
            String since = new String(bytes, (int) Math.min(logOffset, bytes.length),
                    bytes.length - (int) Math.min(logOffset, bytes.length), java.nio.charset.StandardCharsets.UTF_8);
            logLines = since.lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).limit(20)
                    .toList();
        }

        private Map<String, Double> ledgerMetrics() {
            HttpApi.Response response = new HttpApi(stack.managementUrl(Service.LEDGER).orElseThrow()).get("/actuator/prometheus");
            Map<String, Double> metrics = new HashMap<>();
            Matcher matcher = METRIC.matcher(response.body());
            while (matcher.find()) {
                metrics.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
            }
            return metrics;
        }

        /** How the ledger behaved while the row was locked. */
        public String report() {
            return "lock_timeout " + lockTimeout + "; " + String.join("; ", waits) + "; ledger counters over the "
                    + "scenario " + counterDeltas() + "; ledger WARN/ERROR lines meanwhile: "
                    + (logLines.isEmpty() ? "none" : "\n  " + String.join("\n  ", logLines));
        }

        public Map<String, Long> counterDeltas() {
            Map<String, Long> delta = new java.util.TreeMap<>();
            metricsAfter.forEach((name, value) -> delta.put(name, Math.round(value - metricsBefore.getOrDefault(name, 0.0))));
            return delta;
        }

        public List<String> waits() {
            return List.copyOf(waits);
        }
    }
}
