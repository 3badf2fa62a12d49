package io.payledger.notification.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
    private final Runnable afterRecorded;

    /**
     * @param retryDelay how long a notification may stay undelivered before redelivery retries it
     * @param afterRecorded told once each new notification is recorded (committed), with the webhook deliveries
     *                      it enqueued: the dispatcher looks for them now rather than at its next poll
     */
    public Notifier(NotificationStore store, NotificationSender sender, Clock clock, Duration retryDelay,
                    Runnable afterRecorded) {
        this.store = store;
        this.sender = sender;
        this.clock = clock;
        this.retryDelay = retryDelay;
        this.afterRecorded = afterRecorded;
    }

    public void notify(String paymentId, NotificationKind kind, String recipientAccountId, String message,
                       String sourceEventId) {
        Notification notification = notification(paymentId, kind, recipientAccountId, message, sourceEventId);
        if (store.recordOnce(notification, firstRetryAt(notification))) {
            afterRecorded.run();
            deliver(notification);
        }
    }

    /**
     * A payment was accepted: records whose it is ({@code owner}, the client that submitted it, or null
     * when unknown; its notifications are that client's to read) together with the notification.
     */
    public void notifyAccepted(String paymentId, String owner, String recipientAccountId, String message,
                               String sourceEventId) {
        Notification notification = notification(paymentId, NotificationKind.PAYMENT_ACCEPTED, recipientAccountId,
                message, sourceEventId);
        if (store.recordAcceptance(notification, owner, firstRetryAt(notification))) {
            afterRecorded.run();
            deliver(notification);
        }
    }

    private Notification notification(String paymentId, NotificationKind kind, String recipientAccountId,
                                      String message, String sourceEventId) {
        return new Notification(UUID.randomUUID(), paymentId, kind, recipientAccountId, message, sourceEventId,
                clock.instant(), Optional.empty());
    }

    private Instant firstRetryAt(Notification notification) {
        return notification.createdAt().plus(retryDelay);
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
