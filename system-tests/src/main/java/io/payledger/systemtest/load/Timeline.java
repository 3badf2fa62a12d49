package io.payledger.systemtest.load;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A load run second by second, from its start ({@link #start()}): how many payments were scheduled, accepted
 * (HTTP 202, or the broker's acknowledgement of a Kafka command) and reached their final outcome (the outcome
 * record's timestamp) in each. Thread-safe; {@link #seconds()} is a snapshot. What a fault scenario needs to say how
 * long the platform took to recover: {@link #recoveryAfter}.
 */
public final class Timeline {

    /** One second of the run: [{@code second}, {@code second} + 1) after its start. */
    public record Second(int second, long scheduled, long accepted, long finals) {
    }

    private final long startEpochMillis;
    private final AtomicLongArray scheduled;
    private final AtomicLongArray accepted;
    private final AtomicLongArray finals;

    /**
     * @param capacity seconds kept; anything later is counted in the last one (give it the run's duration, its
     *                 drain timeout and a margin)
     */
    public Timeline(Instant start, int capacity) {
        this.startEpochMillis = start.toEpochMilli();
        this.scheduled = new AtomicLongArray(capacity);
        this.accepted = new AtomicLongArray(capacity);
        this.finals = new AtomicLongArray(capacity);
    }

    public Instant start() {
        return Instant.ofEpochMilli(startEpochMillis);
    }

    /** The second of the run an instant falls in (negative before the start). */
    public int secondOf(Instant instant) {
        return (int) Math.floorDiv(instant.toEpochMilli() - startEpochMillis, 1000L);
    }

    void scheduled(long epochMillis) {
        scheduled.incrementAndGet(index(epochMillis));
    }

    void accepted(long epochMillis) {
        accepted.incrementAndGet(index(epochMillis));
    }

    void finalOutcome(long epochMillis) {
        finals.incrementAndGet(index(epochMillis));
    }

    private int index(long epochMillis) {
        long second = Math.floorDiv(epochMillis - startEpochMillis, 1000L);
        return (int) Math.max(0, Math.min(scheduled.length() - 1, second));
    }

    /** Every second up to the last one with anything in it. */
    public List<Second> seconds() {
        int last = -1;
        for (int i = 0; i < scheduled.length(); i++) {
            if (scheduled.get(i) + accepted.get(i) + finals.get(i) > 0) {
                last = i;
            }
        }
        List<Second> seconds = new ArrayList<>(last + 1);
        for (int i = 0; i <= last; i++) {
            seconds.add(new Second(i, scheduled.get(i), accepted.get(i), finals.get(i)));
        }
        return seconds;
    }

    public long totalScheduled() {
        return seconds().stream().mapToLong(Second::scheduled).sum();
    }

    public long totalAccepted() {
        return seconds().stream().mapToLong(Second::accepted).sum();
    }

    public long totalFinals() {
        return seconds().stream().mapToLong(Second::finals).sum();
    }

    /**
     * How long after a fault the platform was back: the first whole second at or after {@code faultAt} whose final
     * outcomes reach {@code fraction} (e.g. 0.9) of the mean final outcomes a second over the {@code baseline} before
     * the fault, measured from {@code faultAt} to that second's end. Empty if it never got back within the timeline,
     * or if there was nothing before the fault to compare with.
     */
    public Optional<Duration> recoveryAfter(Instant faultAt, Duration baseline, double fraction) {
        int faultSecond = secondOf(faultAt);
        int baselineSeconds = (int) Math.max(1, baseline.toSeconds());
        int from = Math.max(0, faultSecond - baselineSeconds);
        if (faultSecond - from < 1) {
            return Optional.empty();
        }
        List<Second> seconds = seconds();
        double before = 0;
        for (int s = from; s < faultSecond; s++) {
            before += s < seconds.size() ? seconds.get(s).finals() : 0;
        }
        double threshold = fraction * before / (faultSecond - from);
        if (threshold <= 0) {
            return Optional.empty();
        }
        for (int s = Math.max(0, faultSecond + 1); s < seconds.size(); s++) {
            if (seconds.get(s).finals() >= threshold) {
                long endOfSecond = startEpochMillis + (s + 1) * 1000L;
                return Optional.of(Duration.ofMillis(endOfSecond - faultAt.toEpochMilli()));
            }
        }
        return Optional.empty();
    }
}
