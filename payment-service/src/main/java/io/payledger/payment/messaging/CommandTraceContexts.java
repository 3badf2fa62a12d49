package io.payledger.payment.messaging;

import java.util.HashMap;
import java.util.Map;

/**
 * Each Kafka command's trace context while its poll is submitted, so the payment it becomes continues the
 * command's own trace (its span, the child of the producer's {@code traceparent}) rather than the poll's. The
 * listener fills it for the poll on its thread; the outbox description reads it when the payment's
 * {@code PaymentInitiated} is written, in the same thread and the same call. Outside a poll it is empty, and the
 * outbox row takes the current span's context (an HTTP request's).
 */
public final class CommandTraceContexts {

    private final ThreadLocal<Map<String, Map<String, String>>> byCommand = ThreadLocal.withInitial(HashMap::new);

    /** Remembers {@code context} for the command {@code idempotencyKey} of {@code clientId} until {@link #clear}. */
    void put(String clientId, String idempotencyKey, Map<String, String> context) {
        if (!context.isEmpty()) {
            byCommand.get().put(key(clientId, idempotencyKey), context);
        }
    }

    /** The context of the command {@code idempotencyKey} of {@code clientId} in the poll being submitted, or empty. */
    Map<String, String> of(String clientId, String idempotencyKey) {
        return byCommand.get().getOrDefault(key(clientId, idempotencyKey), Map.of());
    }

    void clear() {
        byCommand.get().clear();
    }

    private static String key(String clientId, String idempotencyKey) {
        // A client ID never holds a NUL (producer names are letters, digits, '-' and '_').
        return clientId + '\u0000' + idempotencyKey;
    }
}
