package io.payledger.payment.persistence;

import io.payledger.payment.domain.Channel;
import io.payledger.payment.domain.Payment;
import io.payledger.payment.domain.PaymentStatus;
import io.payledger.payment.domain.PaymentStore;
import io.payledger.payment.domain.Settlement;
import io.payledger.platform.outbox.OutboxWriter;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;
import tools.jackson.databind.json.JsonMapper;

/**
 * Payments in PostgreSQL, with their events written to the outbox in the same transaction: what
 * {@link PaymentEvents} describes, this store appends through {@link OutboxWriter} on the handle that
 * records the payment, and commits both at once.
 */
public final class JdbiPaymentStore implements PaymentStore {

    private static final String COLUMNS = """
            payment_id, client_id, idempotency_key, request_fingerprint, channel, source_account_id, destination_account_id,
            amount_minor, currency, reference, status, reasons, trace_id, created_at, updated_at""";

    private static final RowMapper<Payment> PAYMENT = (rs, ctx) -> new Payment(
            rs.getObject("payment_id", UUID.class),
            rs.getString("client_id"),
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

    /**
     * The advisory lock a request holds on a client's idempotency key while it is checked and recorded,
     * as SQL of {@code :client} and {@code :key}.
     */
    public static final String KEY_LOCK_ID =
            "hashtextextended(length(:client) || ':' || :client || ':' || :key, 0)";

    private static final String INSERT = """
            INSERT INTO payments (payment_id, client_id, idempotency_key, request_fingerprint, channel,
                                  source_account_id, destination_account_id, amount_minor, currency,
                                  reference, status, trace_id, created_at, updated_at)
            VALUES (:paymentId, :client, :key, :fingerprint, :channel, :source, :destination, :amount,
                    :currency, :reference, :status, :traceId, :createdAt, :createdAt)""";

    private static final JsonMapper REASONS = JsonMapper.builder().build();

    private final Jdbi jdbi;
    private final OutboxWriter outbox;
    private final PaymentEvents events;
    private final Clock clock;

    public JdbiPaymentStore(Jdbi jdbi, OutboxWriter outbox, PaymentEvents events, Clock clock) {
        this.jdbi = jdbi;
        this.outbox = outbox;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Optional<Payment> findByIdempotencyKey(String clientId, String idempotencyKey) {
        return jdbi.withHandle(handle -> byKey(handle, clientId, idempotencyKey));
    }

    @Override
    public Optional<Payment> find(UUID paymentId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM payments WHERE payment_id = :id")
                .bind("id", paymentId)
                .map(PAYMENT)
                .findOne());
    }

    /**
     * The claim is a transaction holding a transaction-scoped advisory lock on the client's key (the
     * lock ID is a hash of both, the client ID length-prefixed so that no two pairs spell alike). Commit or
     * rollback ends both, and so does a broken connection (the server ends its session) or the pool
     * taking a connection back with a transaction open (it rolls back), so no lock outlives its
     * request. The price: the request holds a pooled connection, idle in a transaction that has no
     * transaction ID yet (and so holds back neither vacuum nor the outbox relay), while the ledger is
     * asked about its accounts.
     */
    @Override
    public Optional<KeyClaim> claim(String clientId, String idempotencyKey) {
        Handle handle = jdbi.open();
        boolean claimed = false;
        try {
            handle.begin();
            claimed = handle.createQuery("SELECT pg_try_advisory_xact_lock(" + KEY_LOCK_ID + ")")
                    .bind("client", clientId)
                    .bind("key", idempotencyKey)
                    .mapTo(Boolean.class)
                    .one();
            return claimed ? Optional.of(new TransactionKeyClaim(handle, clientId, idempotencyKey)) : Optional.empty();
        } finally {
            if (!claimed) {
                end(handle);
            }
        }
    }

    /**
     * As {@link #claim}, for many keys: one transaction, each key's advisory lock tried (never waited for) and the
     * payments recorded for the keys read, by one query each.
     */
    @Override
    public BatchClaim claimAll(Collection<ClientKey> keys) {
        Handle handle = jdbi.open();
        try {
            handle.begin();
            List<ClientKey> distinct = List.copyOf(new LinkedHashSet<>(keys));
            List<String> clients = distinct.stream().map(ClientKey::clientId).toList();
            List<String> idempotencyKeys = distinct.stream().map(ClientKey::idempotencyKey).toList();
            Set<ClientKey> held = new HashSet<>(handle.createQuery("""
                            SELECT k.client, k.key FROM unnest(:clients, :keys) AS k(client, key)
                             WHERE pg_try_advisory_xact_lock(hashtextextended(
                                       length(k.client) || ':' || k.client || ':' || k.key, 0))""")
                    .bindArray("clients", String.class, clients)
                    .bindArray("keys", String.class, idempotencyKeys)
                    .map((rs, ctx) -> new ClientKey(rs.getString("client"), rs.getString("key")))
                    .list());
            Map<ClientKey, Payment> recorded = handle.createQuery("SELECT " + COLUMNS + """
                             FROM payments
                            WHERE (client_id, idempotency_key) IN (SELECT * FROM unnest(:clients, :keys))""")
                    .bindArray("clients", String.class, clients)
                    .bindArray("keys", String.class, idempotencyKeys)
                    .map(PAYMENT)
                    .stream()
                    .collect(Collectors.toMap(p -> new ClientKey(p.clientId(), p.idempotencyKey()), p -> p));
            return new TransactionBatchClaim(handle, held, recorded);
        } catch (RuntimeException e) {
            end(handle);
            throw e;
        }
    }

    /**
     * One statement and one commit for the whole poll, not one per payment. The update matches the payment's terms
     * too, so a contradicting outcome moves nothing; those that moved nothing are then told apart (already final,
     * unknown, or contradicting) by one query. A payment named twice in the poll is settled in order, as one statement
     * per settlement would: its later settlement goes in a second round, and moves it only if the earlier did not.
     */
    @Override
    public Settled settle(List<Settlement> settlements) {
        if (settlements.isEmpty()) {
            return new Settled(List.of(), List.of(), Map.of());
        }
        Timestamp now = Timestamp.from(clock.instant());
        return jdbi.inTransaction(handle -> {
            Map<Integer, Instant> movedAt = new HashMap<>();
            Set<UUID> moved = new HashSet<>();
            List<Integer> pending = new ArrayList<>();
            for (int i = 0; i < settlements.size(); i++) {
                pending.add(i);
            }
            while (!pending.isEmpty()) {
                List<Integer> round = new ArrayList<>();
                List<Integer> later = new ArrayList<>();
                Set<UUID> inRound = new HashSet<>();
                for (int i : pending) {
                    UUID paymentId = settlements.get(i).paymentId();
                    if (!moved.contains(paymentId)) {
                        (inRound.add(paymentId) ? round : later).add(i);
                    }
                }
                update(handle, settlements, round, now).forEach((i, createdAt) -> {
                    movedAt.put(i, createdAt);
                    moved.add(settlements.get(i).paymentId());
                });
                pending = later;
            }
            List<Settlement> settled = new ArrayList<>();
            List<Settlement> unmoved = new ArrayList<>();
            Map<UUID, Instant> acceptedAt = new HashMap<>();
            for (int i = 0; i < settlements.size(); i++) {
                Settlement settlement = settlements.get(i);
                if (movedAt.containsKey(i)) {
                    settled.add(settlement);
                    acceptedAt.put(settlement.paymentId(), movedAt.get(i));
                } else {
                    unmoved.add(settlement);
                }
            }
            return new Settled(settled, contradicting(handle, unmoved), acceptedAt);
        });
    }

    /**
     * Settles the given settlements (of distinct payments) by one statement; returns, by index, the creation time of
     * each payment moved. Reasons travel as one JSON array a settlement: a list of lists is no SQL array.
     */
    private static Map<Integer, Instant> update(Handle handle, List<Settlement> settlements, List<Integer> indexes,
                                                Timestamp now) {
        if (indexes.isEmpty()) {
            return Map.of();
        }
        List<Settlement> round = indexes.stream().map(settlements::get).toList();
        Map<Integer, Instant> moved = new HashMap<>();
        handle.createQuery("""
                        UPDATE payments AS p
                           SET status = s.status, updated_at = :now,
                               reasons = ARRAY(SELECT jsonb_array_elements_text(CAST(s.reasons AS jsonb)))
                          FROM unnest(:ids, :statuses, :reasons, :sources, :destinations, :amounts, :currencies)
                               WITH ORDINALITY AS s(id, status, reasons, source, destination, amount, currency, ordinal)
                         WHERE p.payment_id = s.id AND p.status = 'PENDING' AND p.source_account_id = s.source
                           AND p.destination_account_id = s.destination AND p.amount_minor = s.amount
                           AND p.currency = s.currency
                        RETURNING s.ordinal, p.created_at""")
                .bind("now", now)
                .bindArray("ids", UUID.class, round.stream().map(Settlement::paymentId).toList())
                .bindArray("statuses", String.class, round.stream().map(s -> s.status().name()).toList())
                .bindArray("reasons", String.class, round.stream().map(s -> REASONS.writeValueAsString(s.reasons()))
                        .toList())
                .bindArray("sources", String.class, round.stream().map(Settlement::sourceAccountId).toList())
                .bindArray("destinations", String.class, round.stream().map(Settlement::destinationAccountId).toList())
                .bindArray("amounts", Long.class, round.stream().map(Settlement::amountMinor).toList())
                .bindArray("currencies", String.class, round.stream().map(Settlement::currency).toList())
                .map((rs, ctx) -> Map.entry(indexes.get(rs.getInt("ordinal") - 1),
                        rs.getTimestamp("created_at").toInstant()))
                .forEach(entry -> moved.put(entry.getKey(), entry.getValue()));
        return moved;
    }

    private static List<Settlement> contradicting(Handle handle, List<Settlement> unmoved) {
        if (unmoved.isEmpty()) {
            return List.of();
        }
        Map<UUID, Payment> recorded = handle.createQuery("SELECT " + COLUMNS + " FROM payments WHERE payment_id = ANY (:ids)")
                .bindArray("ids", UUID.class, unmoved.stream().map(Settlement::paymentId).distinct().toList())
                .map(PAYMENT)
                .stream()
                .collect(Collectors.toMap(Payment::paymentId, p -> p));
        return unmoved.stream().filter(s -> recorded.containsKey(s.paymentId())
                && !s.describes(recorded.get(s.paymentId()))).toList();
    }

    private static Optional<Payment> byKey(Handle handle, String clientId, String idempotencyKey) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM payments WHERE client_id = :client AND idempotency_key = :key")
                .bind("client", clientId)
                .bind("key", idempotencyKey)
                .map(PAYMENT)
                .findOne();
    }

    private static void insert(Handle transaction, Payment payment) {
        bind(transaction.createUpdate(INSERT), payment).execute();
    }

    /** One JDBC batch; duplicates within it are the caller's to have ruled out. */
    private static void insert(Handle transaction, List<Payment> payments) {
        if (payments.isEmpty()) {
            return;
        }
        PreparedBatch batch = transaction.prepareBatch(INSERT);
        payments.forEach(payment -> bind(batch, payment).add());
        batch.execute();
    }

    private static <S extends SqlStatement<S>> S bind(S statement, Payment payment) {
        return statement
                .bind("paymentId", payment.paymentId())
                .bind("client", payment.clientId())
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
                .bind("createdAt", Timestamp.from(payment.createdAt()));
    }

    /** Rolls back whatever the handle has not committed (releasing its key lock) and returns its connection. */
    private static void end(Handle handle) {
        try {
            if (handle.isInTransaction()) {
                handle.rollback();
            }
        } finally {
            handle.close();
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    /** A key claim: an open transaction holding the key's advisory lock until it commits or rolls back. */
    private final class TransactionKeyClaim implements KeyClaim {

        private final Handle transaction;
        private final String clientId;
        private final String idempotencyKey;

        TransactionKeyClaim(Handle transaction, String clientId, String idempotencyKey) {
            this.transaction = transaction;
            this.clientId = clientId;
            this.idempotencyKey = idempotencyKey;
        }

        @Override
        public Optional<Payment> recordedPayment() {
            return byKey(transaction, clientId, idempotencyKey);
        }

        @Override
        public void record(Payment payment) {
            if (!payment.idempotencyKey().equals(idempotencyKey) || !clientId.equals(payment.clientId())) {
                throw new IllegalArgumentException("the claim is for another client's or another idempotency key");
            }
            if (!transaction.isInTransaction()) {
                throw new IllegalStateException("this claim has already recorded its payment or was closed");
            }
            insert(transaction, payment);
            events.accepted(payment).appendTo(transaction, outbox);
            transaction.commit();
        }

        @Override
        public void close() {
            end(transaction);
        }
    }

    /** A batch's claim: an open transaction holding the advisory locks of the keys it holds. */
    private final class TransactionBatchClaim implements BatchClaim {

        private final Handle transaction;
        private final Set<ClientKey> held;
        private final Map<ClientKey, Payment> recorded;

        TransactionBatchClaim(Handle transaction, Set<ClientKey> held, Map<ClientKey, Payment> recorded) {
            this.transaction = transaction;
            this.held = held;
            this.recorded = recorded;
        }

        @Override
        public boolean holds(ClientKey key) {
            return held.contains(key);
        }

        @Override
        public Optional<Payment> recordedPayment(ClientKey key) {
            return held.contains(key) ? Optional.ofNullable(recorded.get(key)) : Optional.empty();
        }

        @Override
        public void record(List<Payment> payments) {
            if (!transaction.isInTransaction()) {
                throw new IllegalStateException("this claim has already recorded its payments or was closed");
            }
            for (Payment payment : payments) {
                ClientKey key = new ClientKey(payment.clientId(), payment.idempotencyKey());
                if (!held.contains(key) || recorded.containsKey(key)) {
                    throw new IllegalArgumentException("the claim does not hold a free key for " + key);
                }
            }
            insert(transaction, payments);
            OutboxWriter.Batch messages = outbox.batch(transaction);
            payments.forEach(payment -> events.accepted(payment).addTo(messages));
            messages.execute();
            transaction.commit();
        }

        @Override
        public void close() {
            end(transaction);
        }
    }
}
