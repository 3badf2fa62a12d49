package io.payledger.notification.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Notifications, at most one per payment and kind, and whose payment each is about. */
public interface NotificationStore {

    /**
     * Records the notification unless one of its kind exists for the payment; true if recorded. If it
     * is not delivered by {@code firstRetryAt}, it is due for redelivery from then on.
     */
    boolean recordOnce(Notification notification, Instant firstRetryAt);

    /**
     * Records a payment's acceptance: whose payment it is ({@code owner}, the client that submitted it;
     * null when unknown) unless that is recorded already, and the notification as {@link #recordOnce}
     * does, in one transaction. True if the notification was recorded now.
     */
    boolean recordAcceptance(Notification accepted, String owner, Instant firstRetryAt);

    /**
     * The client a payment belongs to; empty when none is known: the payment's acceptance has not been
     * seen, or it was submitted before payments had owners.
     */
    Optional<String> ownerOf(String paymentId);

    void markDelivered(UUID notificationId, Instant at);

    /**
     * Claims up to {@code limit} undelivered notifications that are due at {@code now}, oldest due first,
     * skipping any another instance is claiming. Each claim counts an attempt and makes the
     * notification due again only after {@code retryDelay} doubled per earlier attempt (capped at 64×),
     * so a delivery that keeps failing backs off and is not claimed twice at once.
     */
    List<Notification> claimDue(Instant now, Duration retryDelay, int limit);

    List<Notification> forPayment(String paymentId);

    /**
     * An account's inbox: up to {@code limit} notifications to {@code accountId} whose position is below
     * {@code beforePosition}, newest (highest position) first.
     */
    List<InboxEntry> inbox(String accountId, long beforePosition, int limit);
}
