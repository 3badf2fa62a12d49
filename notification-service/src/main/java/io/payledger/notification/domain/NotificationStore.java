package io.payledger.notification.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Notifications, at most one per payment and kind. */
public interface NotificationStore {

    /** Records the notification unless one of its kind exists for the payment; true if recorded. */
    boolean recordOnce(Notification notification);

    void markDelivered(UUID notificationId, Instant at);

    List<Notification> undelivered(int limit);

    List<Notification> forPayment(String paymentId);
}
