package io.payledger.notification.domain;

import io.payledger.platform.ids.TimeOrderedUuids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each notification once, delivering it first: one recorded before (a redelivered or replayed event's) is
 * neither delivered nor recorded again. A delivery that fails is recorded undelivered and retried by
 * {@link #redeliver}.
 */
public final class Notifier {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final NotificationStore store;
    private final NotificationSender sender;
    private final Clock clock;
    private final Duration retryDelay;
    private final Runnable afterRecorded;
    // In minting order, so the notifications' primary key grows at its right edge
    private final Supplier<UUID> notificationIds;

    /**
     * @param retryDelay how long a notification may stay undelivered before redelivery retries it
     * @param afterRecorded told each time new notifications are recorded (committed), with the webhook deliveries
     *                      they enqueued: the dispatcher looks for them now rather than at its next poll
     */
    public Notifier(NotificationStore store, NotificationSender sender, Clock clock, Duration retryDelay,
                    Runnable afterRecorded) {
        this.store = store;
        this.sender = sender;
        this.clock = clock;
        this.retryDelay = retryDelay;
        this.afterRecorded = afterRecorded;
        this.notificationIds = new TimeOrderedUuids(clock);
    }

    /**
     * Delivers each notice not recorded before (a redelivered or replayed event's are), then records them in one
     * transaction, those delivered as delivered. Delivering first lets a notification be written once, not
     * inserted and then updated: that update was the largest part of PostgreSQL's work for this service under
     * load. A crash between the two delivers again when the event is redelivered, as a crash after delivering and
     * before marking it delivered always could: delivery is at least once.
     */
    public void notify(List<Notice> notices) {
        if (notices.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<Notification> notifications = new ArrayList<>(notices.size());
        List<PaymentOwner> owners = new ArrayList<>();
        for (Notice notice : notices) {
            notifications.add(new Notification(notificationIds.get(), notice.paymentId(), notice.kind(),
                    notice.recipientAccountId(), notice.message(), notice.sourceEventId(), now, Optional.empty()));
            if (notice.owner() != null) {
                owners.add(notice.owner());
            }
        }
        List<Notification> attempted = new ArrayList<>();
        for (Notification notification : store.unrecorded(notifications)) {
            attempted.add(send(notification) ? delivered(notification) : notification);
        }
        List<Notification> recorded = store.record(attempted, owners, now.plus(retryDelay));
        if (!recorded.isEmpty()) {
            afterRecorded.run();
        }
    }

    public void notify(String paymentId, NotificationKind kind, String recipientAccountId, String message,
                       String sourceEventId) {
        notify(List.of(Notice.of(paymentId, kind, recipientAccountId, message, sourceEventId)));
    }

    /** Retries deliveries that failed or were cut off earlier; returns how many were delivered now. */
    public int redeliver(int limit) {
        return deliver(store.claimDue(clock.instant(), retryDelay, limit));
    }

    /** Sends each; those sent are marked delivered together. Returns how many were sent. */
    private int deliver(List<Notification> notifications) {
        List<UUID> delivered = new ArrayList<>(notifications.size());
        for (Notification notification : notifications) {
            if (send(notification)) {
                delivered.add(notification.notificationId());
            }
        }
        store.markDelivered(delivered, clock.instant());
        return delivered.size();
    }

    private boolean send(Notification notification) {
        try {
            sender.send(notification);
            return true;
        } catch (RuntimeException e) {
            log.warn("Delivery of {} for payment {} failed; will retry: {}", notification.kind(),
                    notification.paymentId(), e.toString());
            return false;
        }
    }

    private Notification delivered(Notification n) {
        return new Notification(n.notificationId(), n.paymentId(), n.kind(), n.recipientAccountId(), n.message(),
                n.sourceEventId(), n.createdAt(), Optional.of(clock.instant()));
    }
}
