package io.payledger.payment.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Payments, and the events their acceptance publishes, stored together or not at all. */
public interface PaymentStore {

    /**
     * One request's hold on a client's idempotency key, from before its checks until its payment is recorded.
     * Closing the claim releases the key and discards anything not recorded; it never outlives the
     * request, whatever is thrown.
     */
    interface KeyClaim extends AutoCloseable {

        /** The payment already holding the key: one recorded before this claim was taken. */
        Optional<Payment> recordedPayment();

        /** Records the payment and its PaymentInitiated event, together. At most once per claim. */
        void record(Payment payment);

        @Override
        void close();
    }

    /** A client's idempotency key. */
    record ClientKey(String clientId, String idempotencyKey) {

        public static ClientKey of(PaymentRequest request) {
            return new ClientKey(request.clientId(), request.idempotencyKey());
        }
    }

    /**
     * A batch's hold on many clients' keys at once, as {@link KeyClaim} holds one: from before their checks until
     * their payments are recorded, together, by one transaction.
     */
    interface BatchClaim extends AutoCloseable {

        /** Whether this claim holds the key; false when another request held it at the time of the claim. */
        boolean holds(ClientKey key);

        /** The payment already holding a key this claim holds: one recorded before the claim was taken. */
        Optional<Payment> recordedPayment(ClientKey key);

        /** Records the payments, each of a key this claim holds, and their PaymentInitiated events. At most once. */
        void record(List<Payment> payments);

        @Override
        void close();
    }

    /** The client's payment with this idempotency key; keys are the client's own, so never another client's payment. */
    Optional<Payment> findByIdempotencyKey(String clientId, String idempotencyKey);

    /** The payment with this ID, whoever it belongs to: who may see it is the caller's to decide. */
    Optional<Payment> find(UUID paymentId);

    /**
     * Claims the client's key for the calling request, across every instance sharing the database;
     * empty when another request of the same client with the same key holds it right now.
     */
    Optional<KeyClaim> claim(String clientId, String idempotencyKey);

    /** Claims every key it can of {@code keys} for one batch; a key another request holds right now is not held. */
    BatchClaim claimAll(Collection<ClientKey> keys);

    /**
     * What a poll of outcomes did: the settlements that moved a payment, and those about a payment recorded here
     * with other accounts, amount or currency (forged or corrupted: they move nothing).
     */
    record Settled(List<Settlement> settled, List<Settlement> contradicting, Map<UUID, Instant> acceptedAt) {

        public Settled {
            settled = List.copyOf(settled);
            contradicting = List.copyOf(contradicting);
            acceptedAt = Map.copyOf(acceptedAt);
        }

        /** When the payment a settlement moved was accepted: with now, its time end to end. */
        public Instant acceptedAt(Settlement settlement) {
            return acceptedAt.get(settlement.paymentId());
        }
    }

    /**
     * Moves each PENDING payment to its settlement's final status, all in one transaction, in order (of two
     * settlements of one payment the first wins), when the settlement {@linkplain Settlement#describes describes}
     * it; a payment already final, or unknown, is left as it is.
     */
    Settled settle(List<Settlement> settlements);
}
