package io.payledger.notification.domain;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each notification once, then delivers it. Recording first makes redelivered and replayed
 * events harmless; a delivery that fails stays undelivered and is retried by {@link #redeliver}.
 */
public final class Notifier {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final NotificationStore store;
    private final NotificationSender sender;
    private final Clock clock;
    private final Duration retryDelay;

    /** @param retryDelay how long a notification may stay undelivered before redelivery retries it */
    public Notifier(NotificationStore store, NotificationSender sender, Clock clock, Duration retryDelay) {
        this.store = store;
        this.sender = sender;
        this.clock = clock;
        this.retryDelay = retryDelay;
    }

    public void notify(String paymentId, NotificationKind kind, String recipientAccountId, String message,
                       String sourceEventId) {
        Notification notification = new Notification(UUID.randomUUID(), paymentId, kind, recipientAccountId, message,
                sourceEventId, clock.instant(), java.util.Optional.empty());
        if (store.recordOnce(notification, notification.createdAt().plus(retryDelay))) {
            deliver(notification);
        }
    }

    /** Retries deliveries that failed or were cut off earlier; returns how many were delivered now. */
    public int redeliver(int limit) {
        List<Notification> due = store.claimDue(clock.instant(), retryDelay, limit);
        return (int) due.stream().filter(this::deliver).count();
    }

    private boolean deliver(Notification notification) {
        try {
            sender.send(notification);
            store.markDelivered(notification.notificationId(), clock.instant());
            return true;
        } catch (RuntimeException e) {
            log.warn("Delivery of {} for payment {} failed; will retry: {}", notification.kind(),
                    notification.paymentId(), e.toString());
            return false;
        }
    }
}
