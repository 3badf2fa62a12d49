package io.payledger.notification.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Webhook subscriptions and their durable delivery log. Deliveries are enqueued by the notification store, in the
 * transaction that records the notification; this is everything after that.
 */
public interface WebhookStore {

    void create(WebhookSubscription subscription);

    /** Live subscriptions, oldest first: {@code owner}'s, or everyone's when it is null. */
    List<WebhookSubscription> list(String owner);

    /** A live (not deleted) subscription. */
    Optional<WebhookSubscription> find(UUID subscriptionId);

    /** Deletes the subscription and cancels its pending deliveries, in one transaction. */
    void delete(UUID subscriptionId, Instant at);

    long count(UUID subscriptionId, DeliveryStatus status);

    /** Total deliveries in a status, every subscription: the gauges. */
    long count(DeliveryStatus status);

    /** The subscription's deliveries in a status, in position order (oldest first). */
    List<WebhookDelivery> deliveries(UUID subscriptionId, DeliveryStatus status, int limit);

    Optional<WebhookDelivery> delivery(UUID subscriptionId, UUID deliveryId);

    /** A DEAD delivery back to PENDING, attempts reset, due at {@code now}; false if it is not dead. */
    boolean redrive(UUID subscriptionId, UUID deliveryId, Instant now);

    /** Every DEAD delivery of the subscription redriven; how many. */
    int redriveAll(UUID subscriptionId, Instant now);

    /**
     * Claims up to {@code limit} due PENDING deliveries of live subscriptions, each the earliest pending one of its
     * subscription and account (so order per account holds), skipping rows another instance holds, and moves
     * each one's next attempt to {@code leaseUntil}. Deliveries to the subscriptions in {@code skipping} (endpoints
     * that cannot take a call now: bulkhead full, breaker open) are left where they are, unclaimed and unchanged.
     */
    List<ClaimedDelivery> claimDue(Instant now, Instant leaseUntil, int limit, Set<UUID> skipping);

    default List<ClaimedDelivery> claimDue(Instant now, Instant leaseUntil, int limit) {
        return claimDue(now, leaseUntil, limit, Set.of());
    }

    /** A 2xx: delivered. False if it was no longer pending (cancelled meanwhile). */
    boolean markDelivered(UUID deliveryId, int attempts, Instant at);

    /** A failed call: counted, with why, due again at {@code retryAt}. */
    void markFailed(UUID deliveryId, int attempts, String error, Instant retryAt);

    /** The last attempt failed. */
    void markDead(UUID deliveryId, int attempts, String error, Instant at);

    /** Not attempted (breaker open, bulkhead full): due again at {@code at}, no attempt counted. */
    void reschedule(UUID deliveryId, Instant at);
}
