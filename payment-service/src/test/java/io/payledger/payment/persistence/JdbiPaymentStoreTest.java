package io.payledger.payment.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payledger.events.PaymentInitiated;
import io.payledger.payment.domain.Channel;
import io.payledger.payment.domain.Payment;
import io.payledger.payment.domain.PaymentStatus;
import io.payledger.payment.domain.PaymentStore;
import io.payledger.payment.domain.Settlement;
import io.payledger.payment.messaging.CommandTraceContexts;
import io.payledger.payment.messaging.PaymentEventOutbox;
import io.payledger.platform.outbox.OutboxWriter;
import io.payledger.platform.persistence.PlatformJdbi;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.SharedInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The store on a real PostgreSQL: a payment and its PaymentInitiated outbox row commit together or not at all. */
class JdbiPaymentStoreTest {

    private static final SerdeSettings SERDE = SerdeSettings.singleObjectEncoding();
    private static final String CLIENT = "client-a";

    private Jdbi jdbi;

    @BeforeEach
    void freshPaymentDatabase() {
        String url = SharedInfrastructure.postgres().createDatabase(
                "payments_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        String user = SharedInfrastructure.postgres().username();
        String password = SharedInfrastructure.postgres().password();
        Flyway.configure().dataSource(url, user, password).schemas("payment").defaultSchema("payment")
                .locations("classpath:db/migration/payment").load().migrate();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        dataSource.setCurrentSchema("payment");
        jdbi = PlatformJdbi.create(dataSource);
    }

    @Test
    void aRecordedPaymentAndItsPaymentInitiatedAreWrittenByOneTransaction() {
        // Given the store as payment-service wires it
        PaymentStore store = store(new PaymentEventOutbox(new CommandTraceContexts()));
        Payment payment = payment("key-1");

        // When a claim on the key records the payment
        try (PaymentStore.KeyClaim claim = store.claim(CLIENT, "key-1").orElseThrow()) {
            claim.record(payment);
        }

        // Then the payment is stored, and one PaymentInitiated for it, keyed by its source account, in the outbox
        assertThat(store.findByIdempotencyKey(CLIENT, "key-1")).contains(payment);
        List<Map<String, Object>> outbox = jdbi.withHandle(handle -> handle.createQuery(
                "SELECT topic, message_key, payload FROM outbox").mapToMap().list());
        assertThat(outbox).singleElement().satisfies(row -> {
            assertThat(row.get("topic")).isEqualTo(Topics.PAYMENTS_INITIATED.name());
            assertThat(new String((byte[]) row.get("message_key"), StandardCharsets.UTF_8)).isEqualTo("alice");
            PaymentInitiated event = Topics.PAYMENTS_INITIATED.valueSerde(SERDE).deserializer()
                    .deserialize(Topics.PAYMENTS_INITIATED.name(), (byte[]) row.get("payload"));
            assertThat(event.getPaymentId()).isEqualTo(payment.paymentId().toString());
            assertThat(event.getAmountMinor()).isEqualTo(1_250);
            assertThat(event.getInitiatedBy()).isEqualTo(CLIENT);
        });
        // And both rows were written by the same database transaction
        boolean sameTransaction = jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT p.xmin::text = (o.tx_id::text::numeric % 4294967296)::text
                          FROM payments p CROSS JOIN outbox o WHERE p.payment_id = :id""")
                .bind("id", payment.paymentId())
                .mapTo(Boolean.class)
                .one());
        assertThat(sameTransaction).isTrue();
    }

    @Test
    void whenTheOutboxRowCannotBeWrittenThePaymentIsNotRecordedEither() {
        // Given events whose outbox message cannot be serialized (a PaymentInitiated without its required fields)
        PaymentStore store = store(payment -> new OutboxMessage<>(Topics.PAYMENTS_INITIATED,
                payment.sourceAccountId(), new PaymentInitiated(), Map.of()));

        // When a claim on the key tries to record a payment
        try (PaymentStore.KeyClaim claim = store.claim(CLIENT, "key-2").orElseThrow()) {
            assertThatThrownBy(() -> claim.record(payment("key-2"))).isInstanceOf(RuntimeException.class);
        }

        // Then neither the payment nor any outbox row exists, and the key is free again
        assertThat(store.findByIdempotencyKey(CLIENT, "key-2")).isEmpty();
        long outboxRows = jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM outbox")
                .mapTo(Long.class).one());
        assertThat(outboxRows).isZero();
        try (PaymentStore.KeyClaim again = store.claim(CLIENT, "key-2").orElseThrow()) {
            assertThat(again.recordedPayment()).isEmpty();
        }
    }

    @Test
    void aKeyIsEachClientsOwnInTheStoreAndInItsClaims() {
        // Given client A's payment under a key, and client A holding a claim on another
        PaymentStore store = store(new PaymentEventOutbox(new CommandTraceContexts()));
        try (PaymentStore.KeyClaim claim = store.claim(CLIENT, "shared").orElseThrow()) {
            claim.record(payment("shared"));
        }
        try (PaymentStore.KeyClaim held = store.claim(CLIENT, "held").orElseThrow()) {
            // When client B claims both keys
            try (PaymentStore.KeyClaim shared = store.claim("client-b", "shared").orElseThrow();
                 PaymentStore.KeyClaim alsoHeld = store.claim("client-b", "held").orElseThrow()) {
                // Then B holds them, sees no payment of its own under them, and may record one
                assertThat(shared.recordedPayment()).isEmpty();
                assertThat(alsoHeld.recordedPayment()).isEmpty();
                Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                Payment bs = new Payment(UUID.randomUUID(), "client-b", "shared", "fingerprint", Channel.KAFKA, "bob",
                        "alice", 5, "USD", null, PaymentStatus.PENDING, List.of(), null, now, now);
                shared.record(bs);
                assertThat(store.findByIdempotencyKey("client-b", "shared")).contains(bs);
            }
            // And A's own claim on its held key still excludes A
            assertThat(store.claim(CLIENT, "held")).isEmpty();
        }
        assertThat(store.findByIdempotencyKey(CLIENT, "shared")).hasValueSatisfying(p -> assertThat(p.clientId()).isEqualTo(CLIENT));
    }

    @Test
    void aPollOfOutcomesSettlesEachPendingPaymentOnceAndLeavesFinalUnknownAndContradictedOnesAlone() {
        // Given three pending payments and one already settled
        PaymentStore store = store(new PaymentEventOutbox(new CommandTraceContexts()));
        Payment first = recorded(store, "key-a");
        Payment second = recorded(store, "key-b");
        Payment third = recorded(store, "key-d");
        Payment settledBefore = recorded(store, "key-c");
        store.settle(List.of(outcome(settledBefore, PaymentStatus.DECLINED, "INSUFFICIENT_FUNDS")));

        // When one poll's outcomes arrive: two for the first payment, one for the second, a late contradictory one
        // for the settled payment, one for a payment unknown here, and one about the third payment's ID that names
        // another amount (forged, or corrupted on the way)
        Settlement posted = outcome(first, PaymentStatus.POSTED);
        Settlement rejected = outcome(second, PaymentStatus.REJECTED, "VELOCITY");
        Settlement forged = new Settlement(third.paymentId(), PaymentStatus.POSTED, List.of(), third.sourceAccountId(),
                third.destinationAccountId(), third.amountMinor() + 1, third.currency());
        PaymentStore.Settled result = store.settle(List.of(
                posted,
                outcome(first, PaymentStatus.DECLINED, "INSUFFICIENT_FUNDS"),
                rejected,
                outcome(settledBefore, PaymentStatus.POSTED),
                outcome(payment("key-unknown"), PaymentStatus.POSTED),
                forged));

        // Then the first outcome of each pending payment wins, and only those are reported settled
        assertThat(result.settled()).containsExactly(posted, rejected);
        // ... each with the time its payment was accepted, for its latency end to end
        assertThat(result.acceptedAt(posted)).isEqualTo(store.find(first.paymentId()).orElseThrow().createdAt());
        assertThat(result.acceptedAt(rejected)).isEqualTo(store.find(second.paymentId()).orElseThrow().createdAt());
        assertThat(result.acceptedAt()).containsOnlyKeys(first.paymentId(), second.paymentId());
        assertThat(store.find(first.paymentId()).orElseThrow().status()).isEqualTo(PaymentStatus.POSTED);
        assertThat(store.find(second.paymentId()).orElseThrow().reasons()).containsExactly("VELOCITY");
        assertThat(store.find(settledBefore.paymentId()).orElseThrow().status()).isEqualTo(PaymentStatus.DECLINED);
        // And the forged one is reported contradicting and moved nothing
        assertThat(result.contradicting()).containsExactly(forged);
        assertThat(store.find(third.paymentId()).orElseThrow().status()).isEqualTo(PaymentStatus.PENDING);
    }

    @Test
    void aForgedOutcomeBeforeTheRealOneInOnePollMovesNothingAndTheRealOneStillSettlesWithItsReasonsExact() {
        // Given a pending payment
        PaymentStore store = store(new PaymentEventOutbox(new CommandTraceContexts()));
        Payment payment = recorded(store, "key-f");

        // When one poll brings, for it, first an outcome naming another amount, then the real decline, whose reason
        // text carries what JSON and SQL arrays must escape, then a late contradictory posting
        Settlement forged = new Settlement(payment.paymentId(), PaymentStatus.POSTED, List.of(),
                payment.sourceAccountId(), payment.destinationAccountId(), payment.amountMinor() * 2,
                payment.currency());
        Settlement declined = outcome(payment, PaymentStatus.DECLINED, "LIMIT \"A\", {B}", "ÜBER\\");
        PaymentStore.Settled result = store.settle(List.of(forged, declined, outcome(payment, PaymentStatus.POSTED)));

        // Then the real decline settles it, reasons as sent, and only the forged one is contradicting
        assertThat(result.settled()).containsExactly(declined);
        assertThat(result.contradicting()).containsExactly(forged);
        Payment settled = store.find(payment.paymentId()).orElseThrow();
        assertThat(settled.status()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(settled.reasons()).containsExactly("LIMIT \"A\", {B}", "ÜBER\\");
    }

    @Test
    void aBatchClaimHoldsEveryFreeKeyAndRecordsItsPaymentsAndTheirEventsByOneTransaction() {
        // Given a payment recorded under key-old, and another request holding key-busy right now
        PaymentStore store = store(new PaymentEventOutbox(new CommandTraceContexts()));
        Payment old = recorded(store, "key-old");
        try (PaymentStore.KeyClaim busy = store.claim(CLIENT, "key-busy").orElseThrow()) {

            // When a batch claims key-old, key-busy and two new keys, and records payments for the new ones
            Payment first = payment("key-1");
            Payment second = payment("key-2");
            try (PaymentStore.BatchClaim claim = store.claimAll(List.of(key("key-old"), key("key-busy"),
                    key("key-1"), key("key-2")))) {

                // Then it holds every key but key-busy, and knows key-old's payment
                assertThat(claim.holds(key("key-busy"))).isFalse();
                assertThat(claim.holds(key("key-1"))).isTrue();
                assertThat(claim.recordedPayment(key("key-old"))).contains(old);
                assertThat(claim.recordedPayment(key("key-1"))).isEmpty();
                // And while it holds them, a single request cannot claim them
                assertThat(store.claim(CLIENT, "key-1")).isEmpty();
                claim.record(List.of(first, second));
            }

            // Then both payments are stored, their events in the outbox in the same order, all by one transaction
            assertThat(store.findByIdempotencyKey(CLIENT, "key-1")).contains(first);
            assertThat(store.findByIdempotencyKey(CLIENT, "key-2")).contains(second);
            List<String> paymentsInOutbox = jdbi.withHandle(handle -> handle.createQuery(
                            "SELECT payload FROM outbox ORDER BY id").mapTo(byte[].class).list()).stream()
                    .map(payload -> Topics.PAYMENTS_INITIATED.valueSerde(SERDE).deserializer()
                            .deserialize(Topics.PAYMENTS_INITIATED.name(), payload).getPaymentId())
                    .toList();
            assertThat(paymentsInOutbox).containsExactly(old.paymentId().toString(), first.paymentId().toString(),
                    second.paymentId().toString());
            long transactions = jdbi.withHandle(handle -> handle.createQuery(
                    "SELECT count(DISTINCT xmin::text) FROM payments WHERE idempotency_key IN ('key-1', 'key-2')")
                    .mapTo(Long.class).one());
            assertThat(transactions).isEqualTo(1);
        }
        // And once the batch ended its keys are free again for a single request (which finds the payment)
        try (PaymentStore.KeyClaim again = store(new PaymentEventOutbox(new CommandTraceContexts())).claim(CLIENT, "key-1").orElseThrow()) {
            assertThat(again.recordedPayment()).isPresent();
        }
    }

    private static PaymentStore.ClientKey key(String idempotencyKey) {
        return new PaymentStore.ClientKey(CLIENT, idempotencyKey);
    }

    private static Settlement outcome(Payment payment, PaymentStatus status, String... reasons) {
        return new Settlement(payment.paymentId(), status, List.of(reasons), payment.sourceAccountId(),
                payment.destinationAccountId(), payment.amountMinor(), payment.currency());
    }

    private static Payment recorded(PaymentStore store, String key) {
        Payment payment = payment(key);
        try (PaymentStore.KeyClaim claim = store.claim(CLIENT, key).orElseThrow()) {
            claim.record(payment);
        }
        return payment;
    }

    private PaymentStore store(PaymentEvents events) {
        return new JdbiPaymentStore(jdbi, new OutboxWriter(SERDE), events, Clock.systemUTC());
    }

    private static Payment payment(String idempotencyKey) {
        // Microseconds: what PostgreSQL's timestamptz keeps, so the payment reads back equal.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new Payment(UUID.randomUUID(), CLIENT, idempotencyKey, "fingerprint-" + idempotencyKey, Channel.HTTP, "alice",
                "bob", 1_250, "USD", "lunch", PaymentStatus.PENDING, List.of(), null, now, now);
    }
}
