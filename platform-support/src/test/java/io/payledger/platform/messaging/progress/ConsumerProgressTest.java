package io.payledger.platform.messaging.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.platform.messaging.progress.ConsumerProgress.Change;
import io.payledger.platform.messaging.progress.ConsumerProgress.Observation;
import io.payledger.testsupport.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The stall rule on its own: offsets in, states out, time from a clock the test moves. */
class ConsumerProgressTest {

    private static final Duration THRESHOLD = Duration.ofMinutes(2);
    private static final ConsumedPartition PARTITION = new ConsumedPartition("ledger-service", "payments.fraud-decisions", 3);
    private static final ConsumedPartition OTHER = new ConsumedPartition("ledger-service", "payments.fraud-decisions", 4);

    private final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final ConsumerProgress progress = new ConsumerProgress(THRESHOLD, clock);
    private final ConsumerProgressHealthIndicator health = new ConsumerProgressHealthIndicator(progress);

    @Test
    void recordsWaitingBehindACommittedOffsetThatDoesNotMoveStallOnlyOnceTheThresholdHasPassed() {
        // Given a partition with one record waiting past committed offset 41
        List<Change> first = progress.recordCheck(List.of(observe(PARTITION, 41, 42)));

        // When its committed offset stays put for exactly the threshold
        clock.advance(THRESHOLD);
        List<Change> atThreshold = progress.recordCheck(List.of(observe(PARTITION, 41, 42)));

        // Then it is not stalled yet
        assertThat(first).isEmpty();
        assertThat(atThreshold).isEmpty();
        assertThat(progress.stalled()).isEmpty();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);

        // When it stays put a second longer
        clock.advance(Duration.ofSeconds(1));
        List<Change> beyond = progress.recordCheck(List.of(observe(PARTITION, 41, 42)));

        // Then it is stalled, reported once, with how long it has gone without progress
        assertThat(beyond).singleElement().satisfies(change -> {
            assertThat(change.startedStalling()).isTrue();
            assertThat(change.current().partition()).isEqualTo(PARTITION);
        });
        assertThat(progress.stalled()).singleElement()
                .satisfies(stalled -> assertThat(progress.noProgressFor(stalled)).isEqualTo(THRESHOLD.plusSeconds(1)));
        assertThat(progress.committedLag(PARTITION)).isEqualTo(1.0);
        assertThat(progress.secondsSinceProgress(PARTITION)).isEqualTo(121.0);
        assertThat(progress.stalledValue(PARTITION)).isEqualTo(1.0);

        // And a further check while it stays stalled is no new change
        clock.advance(Duration.ofSeconds(10));
        assertThat(progress.recordCheck(List.of(observe(PARTITION, 41, 42)))).isEmpty();
        assertThat(progress.stalled()).hasSize(1);
    }

    @Test
    void aCommittedOffsetThatMovesIsProgressHoweverLargeTheLag() {
        // Given a partition far behind
        progress.recordCheck(List.of(observe(PARTITION, 0, 100_000)));

        // When every check finds the committed offset further on, the lag as large as ever
        for (int check = 1; check <= 10; check++) {
            clock.advance(THRESHOLD);
            progress.recordCheck(List.of(observe(PARTITION, check * 1_000L, 100_000 + check * 1_000L)));
        }

        // Then it never stalls, and it last progressed at the last check
        assertThat(progress.stalled()).isEmpty();
        assertThat(progress.committedLag(PARTITION)).isEqualTo(100_000.0);
        assertThat(progress.secondsSinceProgress(PARTITION)).isZero();
    }

    @Test
    void aPartitionWithNothingWaitingNeverStallsHoweverLongItsOffsetStands() {
        // Given a caught-up partition whose committed offset does not move for an hour
        progress.recordCheck(List.of(observe(PARTITION, 42, 42)));
        clock.advance(Duration.ofHours(1));
        progress.recordCheck(List.of(observe(PARTITION, 42, 42)));

        // Then it is not stalled and counts as progressing
        assertThat(progress.stalled()).isEmpty();
        assertThat(progress.secondsSinceProgress(PARTITION)).isZero();

        // When a record arrives and is not consumed, then the clock runs from when it was last seen caught up
        clock.advance(Duration.ofSeconds(10));
        progress.recordCheck(List.of(observe(PARTITION, 42, 43)));
        clock.advance(THRESHOLD.minusSeconds(5));
        progress.recordCheck(List.of(observe(PARTITION, 42, 43)));
        assertThat(progress.stalled()).hasSize(1);
    }

    @Test
    void aStalledPartitionRecoversWhenItsCommittedOffsetMoves() {
        // Given a stalled partition beside a healthy one
        progress.recordCheck(List.of(observe(PARTITION, 41, 45), observe(OTHER, 7, 7)));
        clock.advance(THRESHOLD.plusSeconds(1));
        progress.recordCheck(List.of(observe(PARTITION, 41, 45), observe(OTHER, 7, 7)));
        Health down = health.health();

        // Then health is DOWN naming the stalled partition and its offsets
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails().get("stalled")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .singleElement().asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("group", "ledger-service").containsEntry("topic", "payments.fraud-decisions")
                .containsEntry("partition", 3).containsEntry("committedOffset", 41L).containsEntry("endOffset", 45L)
                .containsEntry("lag", 4L).containsEntry("noProgressFor", "PT2M1S");

        // When its committed offset moves, records still waiting
        clock.advance(Duration.ofSeconds(10));
        List<Change> changes = progress.recordCheck(List.of(observe(PARTITION, 43, 45), observe(OTHER, 7, 7)));

        // Then it has recovered, once, and health is UP again
        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.startedStalling()).isFalse();
            assertThat(change.previous().committedOffset()).isEqualTo(41);
            assertThat(change.current().committedOffset()).isEqualTo(43);
        });
        assertThat(progress.stalled()).isEmpty();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void whileTheOffsetsCannotBeReadNothingCountsAsProgress() {
        // Given nothing checked yet, health does not claim UP
        assertThat(health.health().getStatus()).isEqualTo(Status.UNKNOWN);

        // Given one partition progressing and one stalled
        progress.recordCheck(List.of(observe(PARTITION, 41, 42), observe(OTHER, 7, 9)));
        clock.advance(Duration.ofSeconds(90));
        progress.recordCheck(List.of(observe(PARTITION, 41, 42), observe(OTHER, 8, 9)));
        clock.advance(Duration.ofSeconds(40));
        progress.recordCheck(List.of(observe(PARTITION, 41, 42), observe(OTHER, 8, 9)));
        assertThat(progress.stalled()).extracting(p -> p.partition()).containsExactly(PARTITION);

        // When the checks fail for longer than the threshold
        boolean firstFailure = progress.recordFailure("TimeoutException: broker unreachable");
        clock.advance(THRESHOLD.multipliedBy(2));
        boolean secondFailure = progress.recordFailure("TimeoutException: broker unreachable");

        // Then lag is unknown, no progress is assumed, the stall seen stays, and none is invented
        assertThat(firstFailure).isTrue();
        assertThat(secondFailure).isFalse();
        assertThat(progress.committedLag(PARTITION)).isNaN();
        assertThat(progress.committedLag(OTHER)).isNaN();
        assertThat(progress.secondsSinceProgress(OTHER)).isEqualTo(40.0 + THRESHOLD.multipliedBy(2).toSeconds());
        assertThat(progress.stalled()).extracting(p -> p.partition()).containsExactly(PARTITION);
        Health failing = health.health();
        assertThat(failing.getStatus()).isEqualTo(Status.DOWN);
        assertThat(failing.getDetails()).containsEntry("checkFailing", "TimeoutException: broker unreachable");

        // When a check sees the stall end, and the checks then fail again, then health is UNKNOWN, not UP
        progress.recordCheck(List.of(observe(PARTITION, 42, 42), observe(OTHER, 9, 9)));
        progress.recordFailure("TimeoutException: broker unreachable");
        assertThat(health.health().getStatus()).isEqualTo(Status.UNKNOWN);

        // When a check succeeds again, then lag is known and health is UP
        progress.recordCheck(List.of(observe(PARTITION, 42, 42), observe(OTHER, 9, 9)));
        assertThat(progress.committedLag(PARTITION)).isZero();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(progress.failure()).isEmpty();
    }

    @Test
    void aPartitionTheGroupNoLongerReadsIsForgotten() {
        // Given two partitions observed
        progress.recordCheck(List.of(observe(PARTITION, 1, 1), observe(OTHER, 1, 1)));

        // When a check no longer finds one of them
        progress.recordCheck(List.of(observe(PARTITION, 1, 1)));

        // Then only the other is known
        assertThat(progress.partitions()).extracting(p -> p.partition()).containsExactly(PARTITION);
        assertThat(progress.committedLag(OTHER)).isNaN();
        assertThat(health.health().getDetails()).containsAllEntriesOf(Map.of("partitions", 1));
    }

    /** A reading with as many records waiting as offsets between committed and end. */
    private static Observation observe(ConsumedPartition partition, long committed, long end) {
        return new Observation(partition, committed, end, end - committed);
    }
}
