package io.payledger.platform.messaging.progress;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is known of each consumed partition's progress, and the stall rule: a partition is stalled
 * when records wait on it (lag above zero) and its committed offset has not moved for longer than
 * the threshold. A partition progresses when its committed offset moves or when nothing waits on
 * it. Only observations decide: while the offsets cannot be read, nothing starts stalling, nothing
 * recovers, and no progress is assumed.
 *
 * <p>Offsets in, states out, time from the clock; safe to read from other threads while one
 * thread records checks.
 */
public final class ConsumerProgress {

    /** The committed offset of a partition the group has never committed on. */
    public static final long NO_COMMITTED_OFFSET = -1;

    /**
     * One reading of a partition.
     *
     * @param committedOffset the group's committed offset, or {@link #NO_COMMITTED_OFFSET}
     * @param endOffset       the end of the committed records (last stable offset)
     * @param lag             records waiting past the committed offset (0 when only transaction markers
     *                        or aborted records lie between it and the end)
     */
    public record Observation(ConsumedPartition partition, long committedOffset, long endOffset, long lag) {

        public Observation {
            if (lag < 0) {
                throw new IllegalArgumentException("negative lag " + lag + " of " + partition);
            }
        }
    }

    /**
     * A partition as last observed.
     *
     * @param lastProgressAt when its committed offset last moved, or it was last seen with nothing waiting
     * @param stalled        whether it was stalled at that observation
     */
    public record PartitionProgress(ConsumedPartition partition, long committedOffset, long endOffset, long lag,
                                    Instant lastProgressAt, boolean stalled) {
    }

    /** A partition that started stalling, or stopped: as it was and as it is. */
    public record Change(PartitionProgress previous, PartitionProgress current) {

        public boolean startedStalling() {
            return current.stalled();
        }
    }

    private final Duration stallThreshold;
    private final Clock clock;
    private final Map<ConsumedPartition, PartitionProgress> partitions = new ConcurrentHashMap<>();
    private volatile Instant lastCheckAt;
    private volatile String failure;
    private volatile Instant failingSince;

    public ConsumerProgress(Duration stallThreshold, Clock clock) {
        this.stallThreshold = stallThreshold;
        this.clock = clock;
    }

    /** Whether the group's committed offset differs from the one last observed (false for a new partition). */
    public boolean committedOffsetMoved(ConsumedPartition partition, long committedOffset) {
        PartitionProgress previous = partitions.get(partition);
        return previous != null && previous.committedOffset() != committedOffset;
    }

    /**
     * Records a complete, successful check: every partition consumed, as just read. Partitions not in
     * it are forgotten. Returns the partitions that started stalling or recovered.
     */
    public synchronized List<Change> recordCheck(List<Observation> observations) {
        Instant now = clock.instant();
        List<Change> changes = new ArrayList<>();
        Set<ConsumedPartition> seen = new HashSet<>();
        for (Observation observation : observations) {
            seen.add(observation.partition());
            PartitionProgress previous = partitions.get(observation.partition());
            boolean progressed = previous == null || observation.lag() == 0
                    || previous.committedOffset() != observation.committedOffset();
            Instant lastProgressAt = progressed ? now : previous.lastProgressAt();
            boolean stalled = observation.lag() > 0
                    && Duration.between(lastProgressAt, now).compareTo(stallThreshold) > 0;
            PartitionProgress current = new PartitionProgress(observation.partition(), observation.committedOffset(),
                    observation.endOffset(), observation.lag(), lastProgressAt, stalled);
            partitions.put(observation.partition(), current);
            boolean wasStalled = previous != null && previous.stalled();
            if (stalled != wasStalled) {
                changes.add(new Change(previous, current));
            }
        }
        partitions.keySet().retainAll(seen);
        lastCheckAt = now;
        failure = null;
        failingSince = null;
        return changes;
    }

    /**
     * Records a check that could not read the offsets. What was last observed stays as it was, for
     * the health report, but lag reads as unknown. Returns whether this began a run of failures.
     */
    public synchronized boolean recordFailure(String reason) {
        boolean first = failure == null;
        failure = reason;
        if (first) {
            failingSince = clock.instant();
        }
        return first;
    }

    public Duration stallThreshold() {
        return stallThreshold;
    }

    /** When the offsets were last read successfully; empty before the first successful check. */
    public Optional<Instant> lastCheckAt() {
        return Optional.ofNullable(lastCheckAt);
    }

    /** Why the last check failed; empty if it succeeded (or none has run). */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    public Optional<Instant> failingSince() {
        return Optional.ofNullable(failingSince);
    }

    public Optional<PartitionProgress> progressOf(ConsumedPartition partition) {
        return Optional.ofNullable(partitions.get(partition));
    }

    /** Every partition as last observed, in group, topic, partition order. */
    public List<PartitionProgress> partitions() {
        return partitions.values().stream().sorted(Comparator.comparing(PartitionProgress::partition,
                Comparator.comparing(ConsumedPartition::group).thenComparing(ConsumedPartition::topic)
                        .thenComparingInt(ConsumedPartition::partition))).toList();
    }

    public List<PartitionProgress> stalled() {
        return partitions().stream().filter(PartitionProgress::stalled).toList();
    }

    /** How long the partition has gone without progress, now. */
    public Duration noProgressFor(PartitionProgress progress) {
        Duration since = Duration.between(progress.lastProgressAt(), clock.instant());
        return since.isNegative() ? Duration.ZERO : since;
    }

    /** One line an operator can act on: where, which offsets, how long without progress. */
    public String describe(PartitionProgress progress) {
        ConsumedPartition where = progress.partition();
        String committed = progress.committedOffset() == NO_COMMITTED_OFFSET ? "no committed offset"
                : "committed offset " + progress.committedOffset();
        return "group " + where.group() + " on " + where.topic() + "-" + where.partition() + ": " + committed
                + ", end offset " + progress.endOffset() + ", " + progress.lag() + " record(s) waiting, no progress for "
                + seconds(noProgressFor(progress)) + " (stall threshold " + seconds(stallThreshold) + ")";
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    /** The partition's lag as last observed; NaN (unknown) if it is not known or the last check failed. */
    public double committedLag(ConsumedPartition partition) {
        PartitionProgress progress = partitions.get(partition);
        return progress == null || failure != null ? Double.NaN : progress.lag();
    }

    /** Seconds since the partition last progressed; NaN if it is not known. */
    public double secondsSinceProgress(ConsumedPartition partition) {
        PartitionProgress progress = partitions.get(partition);
        return progress == null ? Double.NaN : noProgressFor(progress).toMillis() / 1000.0;
    }

    /** 1 while the partition is stalled, 0 otherwise; NaN if it is not known. */
    public double stalledValue(ConsumedPartition partition) {
        PartitionProgress progress = partitions.get(partition);
        return progress == null ? Double.NaN : progress.stalled() ? 1 : 0;
    }
}
