package io.payledger.notification.persistence;

import io.payledger.notification.domain.ClaimedDelivery;
import io.payledger.notification.domain.DeliveryStatus;
import io.payledger.notification.domain.Notification;
import io.payledger.notification.domain.WebhookDelivery;
import io.payledger.notification.domain.WebhookEventType;
import io.payledger.notification.domain.WebhookPayloads;
import io.payledger.notification.domain.WebhookStore;
import io.payledger.notification.domain.WebhookSubscription;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link WebhookStore} in tables {@code webhook_subscriptions} and {@code webhook_deliveries}. */
public final class JdbiWebhookStore implements WebhookStore {

    /** Longest last_error kept: a receiver's error text is not ours to store whole. */
    private static final int MAX_ERROR_LENGTH = 500;

    private static final RowMapper<WebhookSubscription> SUBSCRIPTION = (rs, ctx) -> new WebhookSubscription(
            rs.getObject("subscription_id", UUID.class), rs.getString("owner"), rs.getString("url"),
            strings(rs.getArray("event_types")), strings(rs.getArray("account_ids")), rs.getString("secret"),
            rs.getTimestamp("created_at").toInstant());

    private static final RowMapper<WebhookDelivery> DELIVERY = (rs, ctx) -> new WebhookDelivery(
            rs.getObject("delivery_id", UUID.class), rs.getLong("position"), rs.getObject("subscription_id", UUID.class),
            rs.getString("account_id"), rs.getObject("notification_id", UUID.class), rs.getString("event_type"),
            rs.getString("payload"), DeliveryStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
            rs.getTimestamp("next_attempt_at").toInstant(), Optional.ofNullable(rs.getString("last_error")),
            rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("delivered_at")),
            instant(rs.getTimestamp("dead_at")));

    private final Jdbi jdbi;

    public JdbiWebhookStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Enqueues each notification for every live subscription to its account and type, in the caller's
     * transaction (the one that records the notifications): a notification is never recorded without its
     * deliveries. One query finds the subscriptions to any of their accounts; a payload is built only for a
     * notification someone subscribed to, and all deliveries are inserted by one statement.
     */
    static void enqueue(Handle handle, List<Notification> notifications) {
        if (notifications.isEmpty()) {
            return;
        }
        List<LiveSubscription> subscriptions = handle.createQuery("""
                        SELECT subscription_id, account_ids, event_types FROM webhook_subscriptions
                         WHERE deleted_at IS NULL AND account_ids && CAST(:accounts AS text[])
                         ORDER BY created_at""")
                .bindArray("accounts", String.class,
                        notifications.stream().map(Notification::recipientAccountId).distinct().toList())
                .map((rs, ctx) -> new LiveSubscription(rs.getObject("subscription_id", UUID.class),
                        new HashSet<>(Arrays.asList((String[]) rs.getArray("account_ids").getArray())),
                        new HashSet<>(Arrays.asList((String[]) rs.getArray("event_types").getArray()))))
                .list();
        if (subscriptions.isEmpty()) {
            return;
        }
        List<UUID> subscriptionIds = new ArrayList<>();
        List<Notification> deliveries = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (Notification n : notifications) {
            String eventType = WebhookEventType.of(n.kind()).wireName();
            String payload = null;
            for (LiveSubscription subscription : subscriptions) {
                if (subscription.accountIds().contains(n.recipientAccountId())
                        && subscription.eventTypes().contains(eventType)) {
                    payload = payload == null ? WebhookPayloads.of(n) : payload;
                    subscriptionIds.add(subscription.subscriptionId());
                    deliveries.add(n);
                    payloads.add(payload);
                }
            }
        }
        if (deliveries.isEmpty()) {
            return;
        }
        handle.createUpdate("""
                        INSERT INTO webhook_deliveries (delivery_id, subscription_id, account_id, notification_id,
                                                        event_type, payload, status, next_attempt_at, created_at)
                        SELECT gen_random_uuid(), d.subscription_id, d.account_id, d.notification_id, d.event_type,
                               d.payload, 'PENDING', d.created_at, d.created_at
                          FROM (SELECT u.*, timestamptz 'epoch' + u.created_micros * interval '1 microsecond'
                                       AS created_at
                                  FROM unnest(:subscriptionIds, :accounts, :notificationIds, :eventTypes, :payloads,
                                              :createdMicros) WITH ORDINALITY
                                       AS u(subscription_id, account_id, notification_id, event_type, payload,
                                            created_micros, ordinal)) AS d
                         ORDER BY d.ordinal
                        ON CONFLICT (subscription_id, notification_id) DO NOTHING""")
                .bindArray("subscriptionIds", UUID.class, subscriptionIds)
                .bindArray("accounts", String.class, deliveries.stream().map(Notification::recipientAccountId).toList())
                .bindArray("notificationIds", UUID.class, deliveries.stream().map(Notification::notificationId).toList())
                .bindArray("eventTypes", String.class,
                        deliveries.stream().map(n -> WebhookEventType.of(n.kind()).wireName()).toList())
                .bindArray("payloads", String.class, payloads)
                .bindArray("createdMicros", Long.class,
                        deliveries.stream().map(n -> JdbiNotificationStore.epochMicros(n.createdAt())).toList())
                .execute();
    }

    private record LiveSubscription(UUID subscriptionId, Set<String> accountIds, Set<String> eventTypes) {
    }

    @Override
    public void create(WebhookSubscription s) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO webhook_subscriptions (subscription_id, owner, url, event_types, account_ids,
                                                           secret, created_at)
                        VALUES (:id, :owner, :url, :eventTypes, :accountIds, :secret, :createdAt)""")
                .bind("id", s.subscriptionId())
                .bind("owner", s.owner())
                .bind("url", s.url())
                .bind("eventTypes", s.eventTypes().toArray(String[]::new))
                .bind("accountIds", s.accountIds().toArray(String[]::new))
                .bind("secret", s.secret())
                .bind("createdAt", Timestamp.from(s.createdAt()))
                .execute());
    }

    @Override
    public List<WebhookSubscription> list(String owner) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT * FROM webhook_subscriptions
                         WHERE deleted_at IS NULL AND (CAST(:owner AS text) IS NULL OR owner = :owner)
                         ORDER BY created_at, subscription_id""")
                .bind("owner", owner)
                .map(SUBSCRIPTION)
                .list());
    }

    @Override
    public Optional<WebhookSubscription> find(UUID subscriptionId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT * FROM webhook_subscriptions WHERE subscription_id = :id AND deleted_at IS NULL")
                .bind("id", subscriptionId)
                .map(SUBSCRIPTION)
                .findOne());
    }

    @Override
    public void delete(UUID subscriptionId, Instant at) {
        jdbi.useTransaction(handle -> {
            handle.createUpdate("""
                            UPDATE webhook_subscriptions SET deleted_at = :at
                             WHERE subscription_id = :id AND deleted_at IS NULL""")
                    .bind("id", subscriptionId)
                    .bind("at", Timestamp.from(at))
                    .execute();
            handle.createUpdate("""
                            UPDATE webhook_deliveries SET status = 'CANCELLED'
                             WHERE subscription_id = :id AND status = 'PENDING'""")
                    .bind("id", subscriptionId)
                    .execute();
        });
    }

    @Override
    public long count(UUID subscriptionId, DeliveryStatus status) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT count(*) FROM webhook_deliveries WHERE subscription_id = :id AND status = :status")
                .bind("id", subscriptionId)
                .bind("status", status.name())
                .mapTo(Long.class)
                .one());
    }

    @Override
    public long count(DeliveryStatus status) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT count(*) FROM webhook_deliveries WHERE status = :status")
                .bind("status", status.name())
                .mapTo(Long.class)
                .one());
    }

    @Override
    public List<WebhookDelivery> deliveries(UUID subscriptionId, DeliveryStatus status, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT * FROM webhook_deliveries
                         WHERE subscription_id = :id AND status = :status
                         ORDER BY position
                         LIMIT :limit""")
                .bind("id", subscriptionId)
                .bind("status", status.name())
                .bind("limit", limit)
                .map(DELIVERY)
                .list());
    }

    @Override
    public Optional<WebhookDelivery> delivery(UUID subscriptionId, UUID deliveryId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT * FROM webhook_deliveries WHERE subscription_id = :sub AND delivery_id = :id")
                .bind("sub", subscriptionId)
                .bind("id", deliveryId)
                .map(DELIVERY)
                .findOne());
    }

    @Override
    public boolean redrive(UUID subscriptionId, UUID deliveryId, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate(REDRIVE + " AND delivery_id = :deliveryId")
                .bind("id", subscriptionId)
                .bind("deliveryId", deliveryId)
                .bind("now", Timestamp.from(now))
                .execute()) == 1;
    }

    @Override
    public int redriveAll(UUID subscriptionId, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate(REDRIVE)
                .bind("id", subscriptionId)
                .bind("now", Timestamp.from(now))
                .execute());
    }

    private static final String REDRIVE = """
            UPDATE webhook_deliveries
               SET status = 'PENDING', attempts = 0, next_attempt_at = :now, last_error = NULL, dead_at = NULL
             WHERE subscription_id = :id AND status = 'DEAD'""";

    @Override
    public List<ClaimedDelivery> claimDue(Instant now, Instant leaseUntil, int limit, Set<UUID> skipping) {
        return jdbi.inTransaction(handle -> handle.createQuery("""
                        WITH due AS (
                            SELECT d.delivery_id
                              FROM webhook_deliveries d
                             WHERE d.status = 'PENDING' AND d.next_attempt_at <= :now
                               AND NOT d.subscription_id = ANY (:skipping)
                               AND NOT EXISTS (SELECT 1 FROM webhook_deliveries earlier
                                                WHERE earlier.subscription_id = d.subscription_id
                                                  AND earlier.account_id = d.account_id
                                                  AND earlier.status = 'PENDING'
                                                  AND earlier.position < d.position)
                             ORDER BY d.next_attempt_at, d.position
                             LIMIT :limit
                               FOR UPDATE SKIP LOCKED),
                        claimed AS (
                            UPDATE webhook_deliveries d SET next_attempt_at = :leaseUntil
                              FROM due WHERE d.delivery_id = due.delivery_id
                            RETURNING d.*)
                        SELECT claimed.*, s.url, s.secret
                          FROM claimed JOIN webhook_subscriptions s ON s.subscription_id = claimed.subscription_id
                         WHERE s.deleted_at IS NULL
                         ORDER BY claimed.position""")
                .bind("now", Timestamp.from(now))
                .bind("leaseUntil", Timestamp.from(leaseUntil))
                .bind("limit", limit)
                .bindArray("skipping", UUID.class, skipping.toArray())
                .map((rs, ctx) -> new ClaimedDelivery(DELIVERY.map(rs, ctx), rs.getString("url"),
                        rs.getString("secret")))
                .list());
    }

    @Override
    public boolean markDelivered(UUID deliveryId, int attempts, Instant at) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE webhook_deliveries SET status = 'DELIVERED', attempts = :attempts, delivered_at = :at,
                                                      last_error = NULL
                         WHERE delivery_id = :id AND status = 'PENDING'""")
                .bind("id", deliveryId)
                .bind("attempts", attempts)
                .bind("at", Timestamp.from(at))
                .execute()) == 1;
    }

    @Override
    public void markFailed(UUID deliveryId, int attempts, String error, Instant retryAt) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE webhook_deliveries SET attempts = :attempts, last_error = :error, next_attempt_at = :at
                         WHERE delivery_id = :id AND status = 'PENDING'""")
                .bind("id", deliveryId)
                .bind("attempts", attempts)
                .bind("error", truncate(error))
                .bind("at", Timestamp.from(retryAt))
                .execute());
    }

    @Override
    public void markDead(UUID deliveryId, int attempts, String error, Instant at) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE webhook_deliveries SET status = 'DEAD', attempts = :attempts, last_error = :error,
                                                      dead_at = :at
                         WHERE delivery_id = :id AND status = 'PENDING'""")
                .bind("id", deliveryId)
                .bind("attempts", attempts)
                .bind("error", truncate(error))
                .bind("at", Timestamp.from(at))
                .execute());
    }

    @Override
    public void reschedule(UUID deliveryId, Instant at) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE webhook_deliveries SET next_attempt_at = :at
                         WHERE delivery_id = :id AND status = 'PENDING'""")
                .bind("id", deliveryId)
                .bind("at", Timestamp.from(at))
                .execute());
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }

    private static Optional<Instant> instant(Timestamp timestamp) {
        return Optional.ofNullable(timestamp).map(Timestamp::toInstant);
    }
}
