package io.payledger.payment.domain;

import io.payledger.platform.rules.ProducerText;

/**
 * The shape of an idempotency key (HTTP {@code Idempotency-Key}, Kafka {@code commandId}), the same on
 * every channel. Bounded so it always fits the unique index (a btree entry holds at most ~2.7 kB).
 */
public final class IdempotencyKeys {

    public static final int MAX_LENGTH = 200;
    public static final String RULE = "1-" + MAX_LENGTH + " characters, not blank, without control characters";

    private IdempotencyKeys() {
    }

    public static boolean isValid(String key) {
        return key != null && !key.isBlank() && key.length() <= MAX_LENGTH && ProducerText.isPrintable(key);
    }

    /** What the producer calls the key on the channel it used, so a refusal names the field to fix. */
    static String nameOn(Channel channel) {
        return channel == Channel.KAFKA ? "commandId" : "Idempotency-Key";
    }
}
