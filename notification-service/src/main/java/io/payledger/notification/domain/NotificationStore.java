package io.payledger.notification.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Notifications, at most one per payment and kind, and whose payment each is about. */
public interface NotificationStore {

    /**
     * Of the notifications, in order, those that {@link #record} would record now: none of its kind is recorded for
     * its payment, and none is earlier in the list.
     */
    List<Notification> unrecorded(List<Notification> notifications);

    /**
     * Records, in one transaction, each notification unless one of its kind exists for its payment (recorded
     * earlier or earlier in the list), and each payment's owner unless one is recorded for it. A notification is
     * recorded delivered if it says so; one that is not is due for redelivery from {@code firstRetryAt} on.
     * Returns the notifications recorded now, in order.
     */
    List<Notification> record(List<Notification> notifications, List<PaymentOwner> owners, Instant firstRetryAt);

    /** Records one notification as {@link #record} does; true if recorded now. */
    default boolean recordOnce(Notification notification, Instant firstRetryAt) {
        return !record(List.of(notification), List.of(), firstRetryAt).isEmpty();
    }

    /**
     * Records a payment's acceptance: whose payment it is ({@code owner}, the client that submitted it;
     * null when unknown) and the notification, as {@link #record} does. True if the notification was recorded now.
     */
    default boolean recordAcceptance(Notification accepted, String owner, Instant firstRetryAt) {
        return !record(List.of(accepted), List.of(new PaymentOwner(accepted.paymentId(), owner)), firstRetryAt)
                .isEmpty();
    }

    /**
     * The client a payment belongs to; empty when none is known: the payment's acceptance has not been
     * seen, or it was submitted before payments had owners.
     */
    Optional<String> ownerOf(String paymentId);

    void markDelivered(List<UUID> notificationIds, Instant at);

    default void markDelivered(UUID notificationId, Instant at) {
        markDelivered(List.of(notificationId), at);
    }

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
