package io.payledger.notification.persistence;

import io.payledger.notification.domain.InboxEntry;
import io.payledger.notification.domain.Notification;
import io.payledger.notification.domain.NotificationKind;
import io.payledger.notification.domain.NotificationStore;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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

    @Override
    public boolean recordOnce(Notification n, Instant firstRetryAt) {
        return jdbi.inTransaction(handle -> insert(handle, n, firstRetryAt));
    }

    @Override
    public boolean recordAcceptance(Notification accepted, String owner, Instant firstRetryAt) {
        return jdbi.inTransaction(handle -> {
            handle.createUpdate("""
                            INSERT INTO payment_owners (payment_id, owner, recorded_at)
                            VALUES (:paymentId, :owner, :at)
                            ON CONFLICT (payment_id) DO NOTHING""")
                    .bind("paymentId", accepted.paymentId())
                    .bind("owner", owner)
                    .bind("at", Timestamp.from(accepted.createdAt()))
                    .execute();
            return insert(handle, accepted, firstRetryAt);
        });
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
     * The single path by which a notification is recorded: with it, in the caller's transaction, one webhook
     * delivery per live subscription to its account and type (so a recorded notification is never missed by a
     * subscriber, and a replayed one, not recorded again, is never enqueued twice).
     */
    private static boolean insert(Handle handle, Notification n, Instant firstRetryAt) {
        boolean recorded = handle.createUpdate("""
                        INSERT INTO notifications (notification_id, payment_id, kind, recipient_account_id, message,
                                                   source_event_id, created_at, next_attempt_at)
                        VALUES (:id, :paymentId, :kind, :recipient, :message, :sourceEventId, :createdAt,
                                :firstRetryAt)
                        ON CONFLICT (payment_id, kind) DO NOTHING""")
                .bind("id", n.notificationId())
                .bind("paymentId", n.paymentId())
                .bind("kind", n.kind().name())
                .bind("recipient", n.recipientAccountId())
                .bind("message", n.message())
                .bind("sourceEventId", n.sourceEventId())
                .bind("createdAt", Timestamp.from(n.createdAt()))
                .bind("firstRetryAt", Timestamp.from(firstRetryAt))
                .execute() == 1;
        if (recorded) {
            JdbiWebhookStore.enqueue(handle, n);
        }
        return recorded;
    }

    @Override
    public void markDelivered(UUID notificationId, Instant at) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "UPDATE notifications SET delivered_at = :at WHERE notification_id = :id")
                .bind("at", Timestamp.from(at))
                .bind("id", notificationId)
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
