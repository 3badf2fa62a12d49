package io.payledger.payment.persistence;

import io.payledger.payment.domain.Channel;
import io.payledger.payment.domain.Payment;
import io.payledger.payment.domain.PaymentStatus;
import io.payledger.payment.domain.PaymentStore;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Payments in PostgreSQL, with their events written to the outbox in the same transaction. */
public final class JdbiPaymentStore implements PaymentStore {

    private static final String COLUMNS = """
            payment_id, idempotency_key, request_fingerprint, channel, source_account_id, destination_account_id,
            amount_minor, currency, reference, status, reasons, trace_id, created_at, updated_at""";

    private static final RowMapper<Payment> PAYMENT = (rs, ctx) -> new Payment(
            rs.getObject("payment_id", UUID.class),
            rs.getString("idempotency_key"),
            rs.getString("request_fingerprint"),
            Channel.valueOf(rs.getString("channel")),
            rs.getString("source_account_id"),
            rs.getString("destination_account_id"),
            rs.getLong("amount_minor"),
            rs.getString("currency"),
            rs.getString("reference"),
            PaymentStatus.valueOf(rs.getString("status")),
            strings(rs.getArray("reasons")),
            rs.getString("trace_id"),
            rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("updated_at").toInstant());

    private final Jdbi jdbi;
    private final PaymentEvents events;
    private final Clock clock;

    public JdbiPaymentStore(Jdbi jdbi, PaymentEvents events, Clock clock) {
        this.jdbi = jdbi;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Optional<Payment> findByIdempotencyKey(String idempotencyKey) {
        return jdbi.withHandle(handle -> byKey(handle, idempotencyKey));
    }

    @Override
    public Optional<Payment> find(UUID paymentId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM payments WHERE payment_id = :id")
                .bind("id", paymentId)
                .map(PAYMENT)
                .findOne());
    }

    @Override
    public CreateResult create(Payment payment) {
        return jdbi.inTransaction(handle -> {
            // Held until commit: a concurrent request with the same key sees it taken and answers "in flight"
            // instead of waiting on the unique index.
            boolean locked = handle.createQuery("SELECT pg_try_advisory_xact_lock(hashtextextended(:key, 0))")
                    .bind("key", payment.idempotencyKey())
                    .mapTo(Boolean.class)
                    .one();
            if (!locked) {
                return new KeyInFlight();
            }
            Optional<Payment> existing = byKey(handle, payment.idempotencyKey());
            if (existing.isPresent()) {
                return new KeyTaken(existing.get());
            }
            handle.createUpdate("""
                            INSERT INTO payments (payment_id, idempotency_key, request_fingerprint, channel,
                                                  source_account_id, destination_account_id, amount_minor, currency,
                                                  reference, status, trace_id, created_at, updated_at)
                            VALUES (:paymentId, :key, :fingerprint, :channel, :source, :destination, :amount,
                                    :currency, :reference, :status, :traceId, :createdAt, :createdAt)""")
                    .bind("paymentId", payment.paymentId())
                    .bind("key", payment.idempotencyKey())
                    .bind("fingerprint", payment.requestFingerprint())
                    .bind("channel", payment.channel().name())
                    .bind("source", payment.sourceAccountId())
                    .bind("destination", payment.destinationAccountId())
                    .bind("amount", payment.amountMinor())
                    .bind("currency", payment.currency())
                    .bind("reference", payment.reference())
                    .bind("status", payment.status().name())
                    .bind("traceId", payment.traceId())
                    .bind("createdAt", Timestamp.from(payment.createdAt()))
                    .execute();
            events.accepted(handle, payment);
            return new Created(payment);
        });
    }

    @Override
    public boolean settle(UUID paymentId, PaymentStatus status, List<String> reasons) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE payments SET status = :status, reasons = :reasons, updated_at = :now
                         WHERE payment_id = :id AND status = 'PENDING'""")
                .bind("status", status.name())
                .bindArray("reasons", String.class, reasons)
                .bind("now", Timestamp.from(clock.instant()))
                .bind("id", paymentId)
                .execute()) == 1;
    }

    private static Optional<Payment> byKey(Handle handle, String idempotencyKey) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM payments WHERE idempotency_key = :key")
                .bind("key", idempotencyKey)
                .map(PAYMENT)
                .findOne();
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
