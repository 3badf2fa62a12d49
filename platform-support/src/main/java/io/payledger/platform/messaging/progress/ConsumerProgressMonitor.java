package io.payledger.platform.messaging.progress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.platform.messaging.progress.ConsumerProgress.Change;
import io.payledger.platform.messaging.progress.ConsumerProgress.Observation;
import io.payledger.platform.messaging.progress.ConsumerProgress.PartitionProgress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Watches the service's consumer groups from the outside, the way an operator would: every interval
 * it reads each group's committed offsets and its partitions' end offsets, and from them lag and
 * progress ({@link ConsumerProgress}). Client-side lag ({@code records-lag}) measures the fetch
 * position, which runs ahead of a consumer stuck on records it has fetched; committed offsets do not.
 *
 * <p>All platform topics are written transactionally. A listener container commits one past the last
 * record it processed, so on an idle partition the end offset lies one further: the commit marker,
 * which no consumer ever receives (aborted records likewise). Where the committed offset has not moved
 * and the end lies beyond it, the monitor reads that tail ({@code read_committed}, outside the group):
 * if it holds no record, nothing waits there and the lag is 0.
 *
 * <p>Metrics, tagged {@code group}, {@code topic}, {@code partition}: {@value #COMMITTED_LAG} (NaN
 * while the offsets cannot be read), {@value #PROGRESS_AGE} (seconds), {@value #STALLED} (1 or 0);
 * and {@value #CHECK_FAILURES}, checks that could not read the offsets.
 */
public final class ConsumerProgressMonitor implements SmartLifecycle {

    public static final String COMMITTED_LAG = "payledger.consumer.committed.lag";
    public static final String PROGRESS_AGE = "payledger.consumer.progress.age";
    public static final String STALLED = "payledger.consumer.stalled";
    public static final String CHECK_FAILURES = "payledger.consumer.progress.check.failures";

    private static final Logger log = LoggerFactory.getLogger(ConsumerProgressMonitor.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final List<ConsumedTopics> consumed;
    private final ConsumerProgressSettings settings;
    private final Map<String, Object> adminConfig;
    private final Map<String, Object> tailReaderConfig;
    private final MeterRegistry meters;
    private final ConsumerProgress progress;
    private final Counter checkFailures;
    /** Touched by the checking thread only, as are the clients. */
    private final Map<ConsumedPartition, List<Meter>> partitionMeters = new HashMap<>();
    private Admin admin;
    private KafkaConsumer<byte[], byte[]> tailReader;
    private ScheduledExecutorService scheduler;
    private volatile boolean running;

    public ConsumerProgressMonitor(KafkaSettings kafka, ConsumerProgressSettings settings, List<ConsumedTopics> consumed,
                                   MeterRegistry meters, Clock clock) {
        if (consumed.isEmpty()) {
            throw new IllegalArgumentException("no consumer group to watch");
        }
        this.consumed = List.copyOf(consumed);
        this.settings = settings;
        String clientId = consumed.get(0).group() + ".consumer-progress";
        this.adminConfig = kafka.adminConfig(clientId);
        Map<String, Object> reader = new HashMap<>(kafka.readerConfig(clientId, 500));
        // One batch per partition is enough to tell a record from a marker.
        reader.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024);
        this.tailReaderConfig = Map.copyOf(reader);
        this.meters = meters;
        this.progress = new ConsumerProgress(settings.stallThreshold(), clock);
        this.checkFailures = Counter.builder(CHECK_FAILURES)
                .description("Checks of consumer progress that could not read committed or end offsets")
                .register(meters);
    }

    /** What the monitor has observed, for the health indicator. */
    public ConsumerProgress progress() {
        return progress;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "consumer-progress");
            thread.setDaemon(true);
            return thread;
        });
        // The first check after one interval: at start-up the group coordinator may still be loading the
        // offsets topic, and a read that times out then says nothing about the consumers.
        long interval = settings.checkInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::check, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        scheduler.shutdown();
        try {
            // A check under way ends within its call timeout; its clients are closed once it has.
            if (!scheduler.awaitTermination(settings.callTimeout().toMillis() * 2, TimeUnit.MILLISECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.shutdownNow();
        }
        closeClients();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Reads every group's offsets once and records what it finds. Runs on the monitor's thread once
     * started; tests may call it directly on a monitor that is not.
     */
    public void check() {
        try {
            List<Observation> observations = new ArrayList<>();
            for (ConsumedTopics group : consumed) {
                observations.addAll(observe(group));
            }
            boolean wasFailing = progress.failure().isPresent();
            List<Change> changes = progress.recordCheck(observations);
            if (wasFailing) {
                log.info("Consumer progress of {} can be read again", groups());
            }
            updateMeters(observations);
            changes.forEach(this::logChange);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            checkFailures.increment();
            String reason = describe(e);
            if (progress.recordFailure(reason)) {
                log.warn("Cannot read consumer progress of {}; lag is unknown until it can: {}", groups(), reason);
            } else {
                log.debug("Still cannot read consumer progress of {}: {}", groups(), reason);
            }
        }
    }

    private List<Observation> observe(ConsumedTopics group) throws Exception {
        Admin admin = admin();
        int timeoutMs = (int) settings.callTimeout().toMillis();
        Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(admin, group.group(), timeoutMs);
        Map<String, TopicDescription> topics = await(admin.describeTopics(topicsOf(group, admin, timeoutMs),
                new DescribeTopicsOptions().timeoutMs(timeoutMs)).allTopicNames());
        List<TopicPartition> partitions = topics.values().stream()
                .flatMap(topic -> topic.partitions().stream()
                        .map(info -> new TopicPartition(topic.name(), info.partition())))
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                .toList();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (TopicPartition partition : partitions) {
            latest.put(partition, OffsetSpec.latest());
            if (committedOffset(committed, partition) == ConsumerProgress.NO_COMMITTED_OFFSET) {
                earliest.put(partition, OffsetSpec.earliest());
            }
        }
        Map<TopicPartition, ListOffsetsResultInfo> ends = listOffsets(admin, latest, timeoutMs);
        Map<TopicPartition, ListOffsetsResultInfo> starts = earliest.isEmpty() ? Map.of()
                : listOffsets(admin, earliest, timeoutMs);

        // Where the group would read next: its committed offset or, never having committed, the log start.
        Map<TopicPartition, Long> next = new HashMap<>();
        Map<TopicPartition, Long> unmovedWithTail = new HashMap<>();
        for (TopicPartition partition : partitions) {
            long committedOffset = committedOffset(committed, partition);
            long from = committedOffset != ConsumerProgress.NO_COMMITTED_OFFSET ? committedOffset
                    : starts.get(partition).offset();
            next.put(partition, from);
            ConsumedPartition consumedPartition = consumedPartition(group, partition);
            if (ends.get(partition).offset() > from
                    && !progress.committedOffsetMoved(consumedPartition, committedOffset)) {
                unmovedWithTail.put(partition, from);
            }
        }
        Set<TopicPartition> holdingRecords = holdingRecords(unmovedWithTail, ends);

        List<Observation> observations = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            long end = ends.get(partition).offset();
            long offsetLag = Math.max(0, end - next.get(partition));
            boolean onlyMarkers = unmovedWithTail.containsKey(partition) && !holdingRecords.contains(partition);
            observations.add(new Observation(consumedPartition(group, partition), committedOffset(committed, partition),
                    end, onlyMarkers ? 0 : offsetLag));
        }
        return observations;
    }

    /**
     * Which of these partitions hold a committed record at or after the given offset, rather than only
     * transaction markers or aborted records up to their end offset. Fails if it cannot tell in time.
     */
    private Set<TopicPartition> holdingRecords(Map<TopicPartition, Long> from,
                                               Map<TopicPartition, ListOffsetsResultInfo> ends) throws TimeoutException {
        if (from.isEmpty()) {
            return Set.of();
        }
        KafkaConsumer<byte[], byte[]> reader = tailReader();
        try {
            reader.assign(from.keySet());
            from.forEach(reader::seek);
            Set<TopicPartition> holding = new HashSet<>();
            Set<TopicPartition> undecided = new HashSet<>(from.keySet());
            long deadline = System.nanoTime() + settings.callTimeout().toNanos();
            while (true) {
                // A read_committed reader moves past markers and aborted records without returning them.
                undecided.removeIf(partition -> reader.position(partition) >= ends.get(partition).offset());
                if (undecided.isEmpty()) {
                    return holding;
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("could not read the tail of " + undecided + " in "
                            + settings.callTimeout());
                }
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL)) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (undecided.remove(partition)) {
                        holding.add(partition);
                        reader.pause(List.of(partition));
                    }
                }
            }
        } finally {
            reader.assign(List.of());
        }
    }

    /** The group's topics; for a group subscribed by pattern, those the cluster has now. */
    private static List<String> topicsOf(ConsumedTopics group, Admin admin, int timeoutMs) throws Exception {
        if (group.pattern() == null) {
            return group.topics();
        }
        return group.topicsAmong(await(admin.listTopics(new ListTopicsOptions().timeoutMs(timeoutMs)).names()));
    }

    private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(Admin admin, String group, int timeoutMs)
            throws Exception {
        try {
            return await(admin.listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions().timeoutMs(timeoutMs))
                    .partitionsToOffsetAndMetadata());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Map.of(); // a group that has not started yet has committed nothing
            }
            throw e;
        }
    }

    private static long committedOffset(Map<TopicPartition, OffsetAndMetadata> committed, TopicPartition partition) {
        OffsetAndMetadata offset = committed.get(partition);
        return offset == null || offset.offset() < 0 ? ConsumerProgress.NO_COMMITTED_OFFSET : offset.offset();
    }

    private static Map<TopicPartition, ListOffsetsResultInfo> listOffsets(Admin admin, Map<TopicPartition, OffsetSpec> specs,
                                                                          int timeoutMs) throws Exception {
        // Read committed: the end is the last stable offset, what a read_committed consumer can reach.
        return await(admin.listOffsets(specs, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs(timeoutMs))
                .all());
    }

    private static <T> T await(KafkaFuture<T> future) throws Exception {
        // The call carries its own timeout; this only guards against a future that never completes.
        return future.get(5, TimeUnit.MINUTES);
    }

    private static ConsumedPartition consumedPartition(ConsumedTopics group, TopicPartition partition) {
        return new ConsumedPartition(group.group(), partition.topic(), partition.partition());
    }

    private void updateMeters(List<Observation> observations) {
        Set<ConsumedPartition> present = new HashSet<>();
        for (Observation observation : observations) {
            ConsumedPartition partition = observation.partition();
            present.add(partition);
            partitionMeters.computeIfAbsent(partition, this::registerMeters);
        }
        partitionMeters.entrySet().removeIf(entry -> {
            if (present.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().forEach(meters::remove);
            return true;
        });
    }

    private List<Meter> registerMeters(ConsumedPartition partition) {
        Tags tags = Tags.of("group", partition.group(), "topic", partition.topic(),
                "partition", Integer.toString(partition.partition()));
        return List.of(
                Gauge.builder(COMMITTED_LAG, progress, p -> p.committedLag(partition)).tags(tags)
                        .description("Records waiting past the group's committed offset").register(meters),
                Gauge.builder(PROGRESS_AGE, progress, p -> p.secondsSinceProgress(partition)).tags(tags).baseUnit("seconds")
                        .description("Time since the committed offset last moved or nothing waited").register(meters),
                Gauge.builder(STALLED, progress, p -> p.stalledValue(partition)).tags(tags)
                        .description("1 while records wait and the committed offset has not moved for the stall threshold")
                        .register(meters));
    }

    private void logChange(Change change) {
        if (change.startedStalling()) {
            log.error("Consumer stalled, {}", progress.describe(change.current()));
        } else {
            PartitionProgress was = change.previous();
            log.info("Consumer progressing again, group {} on {}-{}: committed offset {} (was {}), {} record(s) waiting",
                    was.partition().group(), was.partition().topic(), was.partition().partition(),
                    change.current().committedOffset(), was.committedOffset(), change.current().lag());
        }
    }

    private String groups() {
        return consumed.stream().map(ConsumedTopics::group).toList().toString();
    }

    private static String describe(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(adminConfig);
        }
        return admin;
    }

    private KafkaConsumer<byte[], byte[]> tailReader() {
        if (tailReader == null) {
            tailReader = new KafkaConsumer<>(tailReaderConfig);
        }
        return tailReader;
    }

    private void closeClients() {
        try {
            if (tailReader != null) {
                tailReader.close();
            }
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
        } catch (RuntimeException e) {
            log.debug("Closing the consumer progress clients failed", e);
        } finally {
            tailReader = null;
            admin = null;
        }
    }

    /** Closes the clients of a monitor that was checked directly rather than started. */
    public void close() {
        stop();
        closeClients();
    }
}
