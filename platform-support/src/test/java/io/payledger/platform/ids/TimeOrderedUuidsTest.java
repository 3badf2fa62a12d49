package io.payledger.platform.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedUuidsTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:34:56.789Z");

    @Test
    void anIdIsAVersion7UuidCarryingTheClocksMillisecond() {
        // Given a clock at a known millisecond
        TimeOrderedUuids ids = new TimeOrderedUuids(Clock.fixed(NOW, ZoneOffset.UTC));

        // When an ID is minted
        UUID id = ids.get();

        // Then it is an RFC 9562 version 7 UUID whose first 48 bits are that millisecond
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(NOW.toEpochMilli());
        assertThat(id.toString().replace("-", "")).startsWith("%012x".formatted(NOW.toEpochMilli()));
    }

    @Test
    void idsMintedLaterSortAfterAsUuidsAndAsText() {
        // Given IDs minted a millisecond apart
        UUID earlier = new TimeOrderedUuids(Clock.fixed(NOW, ZoneOffset.UTC)).get();
        UUID later = new TimeOrderedUuids(Clock.fixed(NOW.plus(Duration.ofMillis(1)), ZoneOffset.UTC)).get();

        // Then the later sorts after, both as a UUID and in its text form (some tables keep payment IDs as text)
        assertThat(later).isGreaterThan(earlier);
        assertThat(later.toString()).isGreaterThan(earlier.toString());
    }

    @Test
    void idsMintedInOneMillisecondAreStillUnique() {
        // Given a clock that never moves
        TimeOrderedUuids ids = new TimeOrderedUuids(Clock.fixed(NOW, ZoneOffset.UTC));

        // When a hundred thousand IDs are minted
        Set<UUID> minted = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            minted.add(ids.get());
        }

        // Then each is different: 74 random bits tell them apart
        assertThat(minted).hasSize(100_000);
    }

    @Test
    void aClockBefore1970IsRefusedNotWrappedIntoAnotherTime() {
        // Given a clock set before the Unix epoch
        TimeOrderedUuids ids = new TimeOrderedUuids(Clock.fixed(Instant.parse("1969-12-31T23:59:59Z"), ZoneOffset.UTC));

        // Then minting refuses rather than encode a time from the far future
        assertThatThrownBy(ids::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("1969");
    }
}
