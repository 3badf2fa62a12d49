package io.payledger.platform.messaging;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The ID of an event derived from what it is about, so the same event published again (a replay, a
 * relay resuming, a stream task re-processing) carries the same ID and consumers dedupe on it: a
 * name-based (version 3) UUID of {@code <kind>:<subject>} in UTF-8.
 *
 * <p>Never change the derivation: events already published carry these IDs, and an event published
 * again with another ID would be taken for a new one.
 */
public final class EventIds {

    private EventIds() {
    }

    /** The ID of the event of {@code kind} (e.g. {@code transaction-posted}) about {@code subject}. */
    public static String of(String kind, String subject) {
        return UUID.nameUUIDFromBytes((kind + ":" + subject).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
