package io.payledger.platform.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.platform.tracing.RecordTracing;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the relay does while it leads: fence the previous leader, resume from the checkpoint, and
 * publish the source chunk by chunk, each chunk in one Kafka transaction with the checkpoint past it.
 */
final class RelayPublisher {

    private static final Logger log = LoggerFactory.getLogger(RelayPublisher.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    private final RelaySettings settings;
    private final RelaySource source;
    private final DataSource dataSource;
    private final RelayCheckpoints checkpoints;
    private final short replicationFactor;
    private final Map<String, Object> producerConfig;
    private final Counter published;
    private final Timer chunkTimer;
    private final RecordTracing tracing;
    private volatile RelayPosition position = RelayPosition.START;

    RelayPublisher(RelaySettings settings, RelaySource source, DataSource dataSource, KafkaSettings kafka,
                   MeterRegistry meters, RecordTracing tracing) {
        this.settings = settings;
        this.tracing = tracing;
        this.source = source;
        this.dataSource = dataSource;
        this.checkpoints = new RelayCheckpoints(kafka, settings.name());
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
    }

    /** The last position committed to Kafka by this instance while leading. */
    RelayPosition position() {
        return position;
    }

    /**
     * Publishes until {@code running} turns false. Throws when leadership is lost, the producer is
     * fenced, the checkpoint is ahead of the database, or anything else fails; what was committed stays.
     * {@code resumed} runs once the checkpoint is read and found consistent with the database.
     */
    void publishWhileLeading(RelayLeadership leadership, BooleanSupplier running, Runnable resumed)
            throws InterruptedException, SQLException {
        checkpoints.ensureTopic(replicationFactor, KAFKA_TIMEOUT);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
            producer.initTransactions();
            // Read only after fencing: any transaction of a previous leader is now committed or aborted.
            RelayPosition checkpoint = checkpoints.read(KAFKA_TIMEOUT);
            refuseIfDatabaseIsBehind(checkpoint);
            position = checkpoint;
            source.relayed(RelayPosition.START, position);
            log.info("Relay {} resumes after {}", settings.name(), position.encode());
            resumed.run();
            while (running.getAsBoolean()) {
                // A dropped lock session frees the lock for another instance: notice it even while busy.
                leadership.verify();
                RelayChunk chunk = source.fetchAfter(position, settings.maxRows());
                if (chunk.isEmpty()) {
                    Thread.sleep(settings.idlePoll().toMillis());
                    continue;
                }
                publish(producer, chunk);
                source.relayed(position, chunk.end());
                position = chunk.end();
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
                // The stored context is the writer's span; the record carries this publication's, its child.
                Span publishing = tracing.publishing(message.topic(), message.headers());
                tracing.inject(publishing, headers);
                producer.send(new ProducerRecord<>(message.topic(), null, message.key(), message.value(), headers));
                publishing.end();
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
    private void refuseIfDatabaseIsBehind(RelayPosition checkpoint) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement next = connection.prepareStatement(
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

    private static void abortQuietly(KafkaProducer<byte[], byte[]> producer) {
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            log.debug("Abort failed; the producer is closed next", e);
        }
    }

    /** The relay's checkpoint says it has published past what this database has ever written. */
    static final class CheckpointAheadOfDatabaseException extends IllegalStateException {

        CheckpointAheadOfDatabaseException(String message) {
            super(message);
        }
    }
}
