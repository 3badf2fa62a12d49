package io.payledger.platform.relay;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.platform.relay.RelayPublisher.CheckpointAheadOfDatabaseException;
import io.payledger.platform.tracing.RecordTracing;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes committed database rows to Kafka exactly once, in commit order.
 *
 * <p>On a thread of its own, the relay tries to lead ({@link RelayLeadership}: one instance per name
 * at a time) and, while it leads, publishes ({@link RelayPublisher}: each chunk of messages with its
 * checkpoint in one Kafka transaction). When either fails it stands down, waits, and tries again.
 * Consumers read with {@code isolation.level=read_committed}.
 */
public final class TransactionalRelay implements SmartLifecycle, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransactionalRelay.class);
    private static final Duration LOCK_CHECK_INTERVAL = Duration.ofSeconds(5);
    private static final Duration CHECKPOINT_AHEAD_RECHECK = Duration.ofSeconds(30);

    private final RelaySettings settings;
    private final DataSource dataSource;
    private final RelayPublisher publisher;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger leading = new AtomicInteger();
    private final RelaySource source;
    private volatile RelayStatus status = RelayStatus.of(RelayStatus.State.STARTING, "not yet leading or standing by");
    private Thread thread;

    /** A relay that continues no trace (tests, tools). */
    public TransactionalRelay(RelaySettings settings, RelaySource source, DataSource dataSource,
                              KafkaSettings kafka, MeterRegistry meters) {
        this(settings, source, dataSource, kafka, meters, RecordTracing.OFF);
    }

    /**
     * A relay that publishes each message in a span, the child of the one its stored {@code traceparent}
     * names, and writes that span's context on the record.
     */
    public TransactionalRelay(RelaySettings settings, RelaySource source, DataSource dataSource,
                              KafkaSettings kafka, MeterRegistry meters, RecordTracing tracing) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.source = source;
        this.publisher = new RelayPublisher(settings, source, dataSource, kafka, meters, tracing);
        meters.gauge("payledger.relay.leader", List.of(Tag.of("relay", settings.name())), leading);
        Gauge.builder("payledger.relay.backlog", this, TransactionalRelay::backlog)
                .tag("relay", settings.name())
                .description("Rows written but not yet published, as the leading instance sees them (NaN elsewhere)")
                .register(meters);
    }

    public String name() {
        return settings.name();
    }

    /** What this instance's relay is doing now, for readiness. */
    public RelayStatus status() {
        return status;
    }

    private double backlog() {
        if (!isLeader()) {
            return Double.NaN;
        }
        try {
            return source.backlogAfter(publisher.position()).stream().mapToDouble(rows -> rows).findFirst()
                    .orElse(Double.NaN);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private void setStatus(RelayStatus.State state, String detail) {
        if (status.state() != state || !status.detail().equals(detail)) {
            status = RelayStatus.of(state, detail);
        }
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
        return publisher.position();
    }

    private void run() {
        while (running.get()) {
            try {
                Optional<RelayLeadership> acquired =
                        RelayLeadership.tryAcquire(dataSource, settings.name(), LOCK_CHECK_INTERVAL);
                if (acquired.isEmpty()) {
                    setStatus(RelayStatus.State.STANDING_BY, "another instance holds the relay's lock");
                    pause(settings.retryBackoff());
                    continue;
                }
                try (RelayLeadership leadership = acquired.get()) {
                    leading.set(1);
                    log.info("Relay {} is leading", settings.name());
                    try {
                        // LEADING only once the checkpoint proved consistent: a refusing relay stays REFUSING.
                        publisher.publishWhileLeading(leadership, running::get,
                                () -> setStatus(RelayStatus.State.LEADING, "publishing"));
                    } finally {
                        leading.set(0);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ProducerFencedException | InvalidProducerEpochException e) {
                log.warn("Relay {} was fenced by another instance; standing down", settings.name());
                setStatus(RelayStatus.State.STANDING_BY, "fenced by another instance");
                pauseQuietly(settings.retryBackoff());
            } catch (CheckpointAheadOfDatabaseException e) {
                log.error("Relay {} refuses to publish: {}", settings.name(), e.getMessage());
                setStatus(RelayStatus.State.REFUSING, e.getMessage());
                pauseQuietly(CHECKPOINT_AHEAD_RECHECK);
            } catch (Exception e) {
                if (!running.get()) {
                    return;
                }
                log.warn("Relay {} failed, retrying in {}: {}", settings.name(), settings.retryBackoff(), e.toString());
                setStatus(RelayStatus.State.FAILING, e.toString());
                pauseQuietly(settings.retryBackoff());
            }
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
}
