package io.payledger.notification.persistence;

import io.payledger.notification.domain.InboxEntry;
import io.payledger.notification.domain.Notification;
import io.payledger.notification.domain.NotificationKind;
import io.payledger.notification.domain.NotificationStore;
import io.payledger.notification.domain.PaymentOwner;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiNotificationStore implements NotificationStore {

    private static final String COLUMNS = """
            notification_id, payment_id, kind, recipient_account_id, message, source_event_id, created_at,
            delivered_at""";

    private static final RowMapper<Notification> NOTIFICATION = (rs, ctx) -> {
        Timestamp delivered = rs.getTimestamp("delivered_at");
        return new Notification(rs.getObject("notification_id", UUID.class), rs.getString("payment_id"),
                NotificationKind.valueOf(rs.getString("kind")), rs.getString("recipient_account_id"),
                rs.getString("message"), rs.getString("source_event_id"), rs.getTimestamp("created_at").toInstant(),
                Optional.ofNullable(delivered).map(Timestamp::toInstant));
    };

    private final Jdbi jdbi;

    public JdbiNotificationStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Three statements for the whole list, whatever its length: owners, notifications, their deliveries. */
    @Override
    public List<Notification> record(List<Notification> notifications, List<PaymentOwner> owners,
                                     Instant firstRetryAt) {
        if (notifications.isEmpty() && owners.isEmpty()) {
            return List.of();
        }
        return jdbi.inTransaction(handle -> {
            recordOwners(handle, owners);
            List<Notification> recorded = insert(handle, notifications, firstRetryAt);
            JdbiWebhookStore.enqueue(handle, recorded);
            return recorded;
        });
    }

    private static void recordOwners(Handle handle, List<PaymentOwner> owners) {
        if (owners.isEmpty()) {
            return;
        }
        handle.createUpdate("""
                        INSERT INTO payment_owners (payment_id, owner, recorded_at)
                        SELECT o.payment_id, o.owner, now() FROM unnest(:paymentIds, :owners) AS o(payment_id, owner)
                        ON CONFLICT (payment_id) DO NOTHING""")
                .bindArray("paymentIds", String.class, owners.stream().map(PaymentOwner::paymentId).toList())
                .bindArray("owners", String.class, owners.stream().map(PaymentOwner::owner).toList())
                .execute();
    }

    /** One query for the whole list: which of its payments and kinds are recorded. */
    @Override
    public List<Notification> unrecorded(List<Notification> notifications) {
        if (notifications.isEmpty()) {
            return List.of();
        }
        Set<String> recorded = new HashSet<>(jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT payment_id, kind FROM notifications
                         WHERE (payment_id, kind) IN (SELECT * FROM unnest(:paymentIds, :kinds))""")
                .bindArray("paymentIds", String.class, notifications.stream().map(Notification::paymentId).toList())
                .bindArray("kinds", String.class, notifications.stream().map(n -> n.kind().name()).toList())
                .map((rs, ctx) -> key(rs.getString("payment_id"), rs.getString("kind")))
                .list()));
        // add() is false for a payment and kind recorded, or seen earlier in the list
        return notifications.stream().filter(n -> recorded.add(key(n.paymentId(), n.kind().name()))).toList();
    }

    private static String key(String paymentId, String kind) {
        return kind + ' ' + paymentId;
    }

    @Override
    public Optional<String> ownerOf(String paymentId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT owner FROM payment_owners WHERE payment_id = :paymentId AND owner IS NOT NULL")
                .bind("paymentId", paymentId)
                .mapTo(String.class)
                .findOne());
    }

    /**
     * The single path by which notifications are recorded: with them, in the caller's transaction, one webhook
     * delivery per live subscription to each one's account and type (so a recorded notification is never missed
     * by a subscriber, and a replayed one, not recorded again, is never enqueued twice). Of two with the same
     * payment and kind in one list, the first is recorded.
     */
    private static List<Notification> insert(Handle handle, List<Notification> notifications, Instant firstRetryAt) {
        if (notifications.isEmpty()) {
            return List.of();
        }
        Set<UUID> inserted = new HashSet<>(handle.createQuery("""
                        INSERT INTO notifications (notification_id, payment_id, kind, recipient_account_id, message,
                                                   source_event_id, created_at, delivered_at, next_attempt_at)
                        SELECT n.id, n.payment_id, n.kind, n.recipient, n.message, n.source_event_id,
                               timestamptz 'epoch' + n.created_micros * interval '1 microsecond',
                               timestamptz 'epoch' + n.delivered_micros * interval '1 microsecond', :firstRetryAt
                          FROM unnest(:ids, :paymentIds, :kinds, :recipients, :messages, :sourceEventIds,
                                      :createdMicros, :deliveredMicros) WITH ORDINALITY
                               AS n(id, payment_id, kind, recipient, message, source_event_id, created_micros,
                                    delivered_micros, ordinal)
                         ORDER BY n.ordinal
                        ON CONFLICT (payment_id, kind) DO NOTHING
                        RETURNING notification_id""")
                .bindArray("ids", UUID.class, notifications.stream().map(Notification::notificationId).toList())
                .bindArray("paymentIds", String.class, notifications.stream().map(Notification::paymentId).toList())
                .bindArray("kinds", String.class, notifications.stream().map(n -> n.kind().name()).toList())
                .bindArray("recipients", String.class,
                        notifications.stream().map(Notification::recipientAccountId).toList())
                .bindArray("messages", String.class, notifications.stream().map(Notification::message).toList())
                .bindArray("sourceEventIds", String.class,
                        notifications.stream().map(Notification::sourceEventId).toList())
                .bindArray("createdMicros", Long.class,
                        notifications.stream().map(n -> epochMicros(n.createdAt())).toList())
                .bindArray("deliveredMicros", Long.class, notifications.stream()
                        .map(n -> n.deliveredAt().map(JdbiNotificationStore::epochMicros).orElse(null)).toList())
                .bind("firstRetryAt", Timestamp.from(firstRetryAt))
                .mapTo(UUID.class)
                .list());
        return notifications.stream().filter(n -> inserted.contains(n.notificationId())).toList();
    }

    static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    @Override
    public void markDelivered(List<UUID> notificationIds, Instant at) {
        if (notificationIds.isEmpty()) {
            return;
        }
        jdbi.useHandle(handle -> handle.createUpdate(
                        "UPDATE notifications SET delivered_at = :at WHERE notification_id = ANY (:ids)")
                .bind("at", Timestamp.from(at))
                .bindArray("ids", UUID.class, notificationIds)
                .execute());
    }

    @Override
    public List<Notification> claimDue(Instant now, Duration retryDelay, int limit) {
        return jdbi.inTransaction(handle -> handle.createQuery("""
                        UPDATE notifications AS n
                           SET attempts = n.attempts + 1,
                               next_attempt_at = CAST(:now AS timestamptz)
                                   + make_interval(secs => :delaySeconds * power(2, least(n.attempts, 6)))
                          FROM (SELECT notification_id FROM notifications
                                 WHERE delivered_at IS NULL AND next_attempt_at <= CAST(:now AS timestamptz)
                                 ORDER BY next_attempt_at
                                 LIMIT :limit
                                   FOR UPDATE SKIP LOCKED) AS due
                         WHERE n.notification_id = due.notification_id
                        RETURNING n.*""")
                .bind("now", Timestamp.from(now))
                .bind("delaySeconds", retryDelay.toMillis() / 1000.0)
                .bind("limit", limit)
                .map(NOTIFICATION)
                .list());
    }

    @Override
    public List<Notification> forPayment(String paymentId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM notifications WHERE payment_id = :paymentId ORDER BY created_at, position")
                .bind("paymentId", paymentId)
                .map(NOTIFICATION)
                .list());
    }

    @Override
    public List<InboxEntry> inbox(String accountId, long beforePosition, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT position, " + COLUMNS + """
                         FROM notifications
                        WHERE recipient_account_id = :accountId AND position < :before
                        ORDER BY position DESC
                        LIMIT :limit""")
                .bind("accountId", accountId)
                .bind("before", beforePosition)
                .bind("limit", limit)
                .map((rs, ctx) -> new InboxEntry(rs.getLong("position"), NOTIFICATION.map(rs, ctx)))
                .list());
    }
}
