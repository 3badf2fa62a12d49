package io.payledger.notification.domain;

import java.util.Arrays;
import java.util.Optional;

/** A notification kind as webhook subscribers name it: the one place the two vocabularies meet. */
public enum WebhookEventType {
    PAYMENT_ACCEPTED("payment.accepted", NotificationKind.PAYMENT_ACCEPTED),
    PAYMENT_REJECTED("payment.rejected", NotificationKind.PAYMENT_REJECTED),
    PAYMENT_POSTED("payment.posted", NotificationKind.PAYMENT_POSTED),
    PAYMENT_DECLINED("payment.declined", NotificationKind.PAYMENT_DECLINED),
    PAYMENT_RECEIVED("payment.received", NotificationKind.PAYMENT_RECEIVED);

    private final String wireName;
    private final NotificationKind kind;

    WebhookEventType(String wireName, NotificationKind kind) {
        this.wireName = wireName;
        this.kind = kind;
    }

    /** The name in subscriptions and payloads, e.g. {@code payment.posted}. */
    public String wireName() {
        return wireName;
    }

    public NotificationKind kind() {
        return kind;
    }

    public static WebhookEventType of(NotificationKind kind) {
        return Arrays.stream(values()).filter(type -> type.kind == kind).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no event type for " + kind));
    }

    public static Optional<WebhookEventType> parse(String wireName) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(wireName)).findFirst();
    }
}
