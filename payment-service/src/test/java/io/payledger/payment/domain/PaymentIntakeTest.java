package io.payledger.payment.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PaymentIntakeTest {

    private final FakePaymentStore store = new FakePaymentStore();
    private final Map<String, AccountDirectory.AccountSummary> accounts = new HashMap<>(Map.of(
            "alice", new AccountDirectory.AccountSummary("alice", "USD"),
            "bob", new AccountDirectory.AccountSummary("bob", "USD"),
            "eve", new AccountDirectory.AccountSummary("eve", "EUR")));
    private final PaymentIntake intake = new PaymentIntake(store, id -> Optional.ofNullable(accounts.get(id)),
            Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC), UUID::randomUUID);

    @Test
    void acceptsAValidRequestAsAPendingPayment() {
        PaymentIntake.Outcome outcome = intake.submit(request("key-1", "alice", "bob", 1_250, "USD"));

        assertThat(outcome.replayed()).isFalse();
        assertThat(outcome.payment().status()).isEqualTo(PaymentStatus.PENDING);
        assertThat(store.payments).hasSize(1);
    }

    @Test
    void theSameKeyWithTheSameRequestReturnsTheFirstPayment() {
        // Given
        Payment first = intake.submit(request("key-1", "alice", "bob", 1_250, "USD")).payment();

        // When
        PaymentIntake.Outcome again = intake.submit(request("key-1", "alice", "bob", 1_250, "USD"));

        // Then
        assertThat(again.replayed()).isTrue();
        assertThat(again.payment().paymentId()).isEqualTo(first.paymentId());
        assertThat(store.payments).hasSize(1);
    }

    @Test
    void theSameKeyWithADifferentRequestIsRefusedAndRecordsNothing() {
        intake.submit(request("key-1", "alice", "bob", 1_250, "USD"));

        assertThatThrownBy(() -> intake.submit(request("key-1", "alice", "bob", 9_999, "USD")))
                .isInstanceOfSatisfying(PaymentRefusedException.class,
                        e -> assertThat(e.refusal()).isEqualTo(PaymentRefusal.IDEMPOTENCY_KEY_REUSED));
        assertThat(store.payments).hasSize(1);
    }

    @Test
    void aKeyInFlightIsRefusedAsInFlight() {
        store.inFlightKey = "key-1";

        assertThatThrownBy(() -> intake.submit(request("key-1", "alice", "bob", 1_250, "USD")))
                .isInstanceOfSatisfying(PaymentRefusedException.class,
                        e -> assertThat(e.refusal()).isEqualTo(PaymentRefusal.REQUEST_IN_FLIGHT));
    }

    @Test
    void refusesBadRequestsBeforeRecordingAnything() {
        assertRefused(request("k1", "alice", "bob", 0, "USD"), PaymentRefusal.INVALID_AMOUNT);
        assertRefused(request("k2", "alice", "bob", -5, "USD"), PaymentRefusal.INVALID_AMOUNT);
        assertRefused(request("k3", "alice", "alice", 5, "USD"), PaymentRefusal.SAME_ACCOUNT);
        assertRefused(request("k4", "alice", "nobody", 5, "USD"), PaymentRefusal.UNKNOWN_ACCOUNT);
        assertRefused(request("k5", "alice", "eve", 5, "USD"), PaymentRefusal.CURRENCY_MISMATCH);
        assertRefused(request("k6", "alice", "bob", 5, "XYZ"), PaymentRefusal.INVALID_CURRENCY);
        assertThat(store.payments).isEmpty();
    }

    private void assertRefused(PaymentRequest request, PaymentRefusal refusal) {
        assertThatThrownBy(() -> intake.submit(request))
                .isInstanceOfSatisfying(PaymentRefusedException.class, e -> assertThat(e.refusal()).isEqualTo(refusal));
    }

    private static PaymentRequest request(String key, String from, String to, long amount, String currency) {
        return new PaymentRequest(key, from, to, amount, currency, "rent", Channel.HTTP, "trace");
    }

    /** In-memory store: enough to exercise the intake's idempotency rules. */
    private static final class FakePaymentStore implements PaymentStore {
        final Map<String, Payment> payments = new HashMap<>();
        String inFlightKey;

        @Override
        public Optional<Payment> findByIdempotencyKey(String key) {
            return Optional.ofNullable(payments.get(key));
        }

        @Override
        public Optional<Payment> find(UUID paymentId) {
            return payments.values().stream().filter(p -> p.paymentId().equals(paymentId)).findFirst();
        }

        @Override
        public CreateResult create(Payment payment) {
            if (payment.idempotencyKey().equals(inFlightKey)) {
                return new KeyInFlight();
            }
            Payment existing = payments.putIfAbsent(payment.idempotencyKey(), payment);
            return existing == null ? new Created(payment) : new KeyTaken(existing);
        }

        @Override
        public boolean settle(UUID paymentId, PaymentStatus status, List<String> reasons) {
            throw new UnsupportedOperationException("not used by intake");
        }
    }
}
