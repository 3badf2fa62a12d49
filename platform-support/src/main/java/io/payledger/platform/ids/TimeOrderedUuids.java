package io.payledger.platform.ids;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Mints version 7 UUIDs (RFC 9562): the first 48 bits are the Unix time in milliseconds, the other 74 (after
 * the version and variant) random. IDs minted one after another sort after one another (within a millisecond
 * in no particular order), so an index keyed by them takes each new key at its right edge instead of at a random
 * page: under load PostgreSQL dirties, splits and logs fewer index pages per row. The time in an ID is no secret
 * here: it is when the platform minted it, which the record it names says anyway.
 */
public final class TimeOrderedUuids implements Supplier<UUID> {

    private static final long VERSION_7 = 0x7000L;
    private static final long VARIANT_RFC_9562 = 0x8000_0000_0000_0000L;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TimeOrderedUuids(Clock clock) {
        this.clock = clock;
    }

    @Override
    public UUID get() {
        long millis = clock.millis();
        if (millis < 0 || millis >= 1L << 48) {
            throw new IllegalStateException("The clock's time cannot go in a version 7 UUID: " + clock.instant());
        }
        long mostSignificant = millis << 16 | VERSION_7 | random.nextLong() & 0x0FFFL;
        long leastSignificant = VARIANT_RFC_9562 | random.nextLong() >>> 2;
        return new UUID(mostSignificant, leastSignificant);
    }
}
