package io.payledger.platform.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.payledger.platform.messaging.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes committed database rows to Kafka exactly once, in commit order.
 *
 * <p>One relay instance per name leads at a time (a PostgreSQL advisory lock held on a dedicated
 * connection). The leader sends each chunk of messages together with its checkpoint in one Kafka
 * transaction; a crash before the commit aborts both, a crash after leaves the checkpoint past the
 * chunk. A new leader's {@code initTransactions} fences any zombie using the same transactional ID.
 * Consumers read with {@code isolation.level=read_committed}.
 */
public final class TransactionalRelay implements SmartLifecycle, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransactionalRelay.class);
    private static final Duration LOCK_CHECK_INTERVAL = Duration.ofSeconds(5);
    private static final Duration CHECKPOINT_AHEAD_RECHECK = Duration.ofSeconds(30);

    private final RelaySettings settings;
    private final RelaySource source;
    private final DataSource dataSource;
    private final RelayCheckpoints checkpoints;
    private final short replicationFactor;
    private final Map<String, Object> producerConfig;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger leading = new AtomicInteger();
    private final Counter published;
    private final Timer chunkTimer;
    private volatile RelayPosition position = RelayPosition.START;
    private Thread thread;

    public TransactionalRelay(RelaySettings settings, RelaySource source, DataSource dataSource,
                              KafkaSettings kafka, MeterRegistry meters) {
        this.settings = settings;
        this.source = source;
        this.dataSource = dataSource;
        this.checkpoints = new RelayCheckpoints(kafka.bootstrapServers(), settings.name());
        this.replicationFactor = kafka.replicationFactor();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.putAll(kafka.producerConfig(settings.name()));
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.name());
        this.producerConfig = Map.copyOf(config);
        this.published = Counter.builder("payledger.relay.messages")
                .description("Messages committed to Kafka by the relay")
                .tag("relay", settings.name()).register(meters);
        this.chunkTimer = Timer.builder("payledger.relay.chunk")
                .description("Time to publish and commit one chunk")
                .tag("relay", settings.name()).register(meters);
        meters.gauge("payledger.relay.leader", java.util.List.of(io.micrometer.core.instrument.Tag.of("relay",
                settings.name())), leading);
    }

    @Override
    public synchronized void start() {
        if (running.compareAndSet(false, true)) {
            thread = new Thread(this::run, "relay-" + settings.name());
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public synchronized void close() {
        if (running.compareAndSet(true, false) && thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    public boolean isLeader() {
        return leading.get() == 1;
    }

    /** The last position committed to Kafka by this instance while leading. */
    public RelayPosition position() {
        return position;
    }

    private void run() {
        while (running.get()) {
            try (Connection lockConnection = dataSource.getConnection()) {
                if (!tryLead(lockConnection)) {
                    pause(settings.retryBackoff());
                    continue;
                }
                leading.set(1);
                log.info("Relay {} is leading", settings.name());
                try {
                    relayWhileLeading(lockConnection);
                } finally {
                    leading.set(0);
                    release(lockConnection);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ProducerFencedException | InvalidProducerEpochException e) {
                log.warn("Relay {} was fenced by another instance; standing down", settings.name());
                pauseQuietly(settings.retryBackoff());
            } catch (CheckpointAheadOfDatabaseException e) {
                log.error("Relay {} refuses to publish: {}", settings.name(), e.getMessage());
                pauseQuietly(CHECKPOINT_AHEAD_RECHECK);
            } catch (Exception e) {
                if (!running.get()) {
                    return;
                }
                log.warn("Relay {} failed, retrying in {}: {}", settings.name(), settings.retryBackoff(), e.toString());
                pauseQuietly(settings.retryBackoff());
            }
        }
    }

    private void relayWhileLeading(Connection lockConnection) throws InterruptedException, SQLException {
        checkpoints.ensureTopic(replicationFactor, Duration.ofSeconds(30));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
            producer.initTransactions();
            // Read only after fencing: any transaction of a previous leader is now committed or aborted.
            RelayPosition checkpoint = checkpoints.read(Duration.ofSeconds(30));
            refuseIfDatabaseIsBehind(lockConnection, checkpoint);
            position = checkpoint;
            source.relayed(position);
            log.info("Relay {} resumes after {}", settings.name(), position.encode());
            long lockCheckedAt = System.nanoTime();
            while (running.get()) {
                // A dropped lock session frees the lock for another instance: notice it even while busy.
                if (System.nanoTime() - lockCheckedAt > LOCK_CHECK_INTERVAL.toNanos()) {
                    if (!lockConnection.isValid(5)) {
                        throw new SQLException("lost the leadership connection");
                    }
                    lockCheckedAt = System.nanoTime();
                }
                RelayChunk chunk = source.fetchAfter(position, settings.maxRows());
                if (chunk.isEmpty()) {
                    pause(settings.idlePoll());
                    continue;
                }
                publish(producer, chunk);
                position = chunk.end();
                source.relayed(position);
            }
        }
    }

    private void publish(KafkaProducer<byte[], byte[]> producer, RelayChunk chunk) {
        long started = System.nanoTime();
        producer.beginTransaction();
        try {
            for (RelayedMessage message : chunk.messages()) {
                RecordHeaders headers = new RecordHeaders();
                message.headers().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
                producer.send(new ProducerRecord<>(message.topic(), null, message.key(), message.value(), headers));
            }
            producer.send(checkpoints.checkpoint(chunk.end()));
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw e;
        } catch (RuntimeException e) {
            abortQuietly(producer);
            throw e;
        }
        published.increment(chunk.messages().size());
        chunkTimer.record(Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Positions are PostgreSQL transaction IDs, which only grow within one database cluster. A
     * checkpoint at or past the next ID to be assigned means the database was restored, failed over to
     * a replica that had not seen those transactions, or replaced: rows written from now on would get
     * IDs the relay believes it has passed, and would never be published. Stop, loudly, instead.
     */
    private void refuseIfDatabaseIsBehind(Connection connection, RelayPosition checkpoint) throws SQLException {
        try (PreparedStatement next = connection.prepareStatement(
                "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint");
             ResultSet result = next.executeQuery()) {
            result.next();
            long nextTransactionId = result.getLong(1);
            if (checkpoint.transactionId() >= nextTransactionId) {
                throw new CheckpointAheadOfDatabaseException("its checkpoint " + checkpoint.encode() + " on "
                        + checkpoints.topic() + " is ahead of this database, whose next transaction ID is "
                        + nextTransactionId + ". The database was restored, failed over or replaced. After making sure"
                        + " nothing is lost, delete topic " + checkpoints.topic() + " and the relay publishes its"
                        + " source again from the start (consumers dedupe on event IDs).");
            }
        }
    }

    private boolean tryLead(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            lock.setString(1, lockName());
            try (ResultSet result = lock.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private void release(Connection connection) {
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
            unlock.setString(1, lockName());
            unlock.execute();
        } catch (SQLException e) {
            // Never hand a pooled connection that may still hold the lock back to the pool.
            log.debug("Could not release relay lock {}; discarding the connection", lockName(), e);
            try {
                connection.abort(Runnable::run);
            } catch (SQLException ignored) {
                // The session, and with it the lock, is gone either way.
            }
        }
    }

    private String lockName() {
        return "relay:" + settings.name();
    }

    private static void abortQuietly(KafkaProducer<byte[], byte[]> producer) {
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            log.debug("Abort failed; the producer is closed next", e);
        }
    }

    private static void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    private void pauseQuietly(Duration duration) {
        try {
            pause(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    /** The relay's checkpoint says it has published past what this database has ever written. */
    static final class CheckpointAheadOfDatabaseException extends IllegalStateException {

        CheckpointAheadOfDatabaseException(String message) {
            super(message);
        }
    }
}
