package io.payledger.payment.domain;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Payments, and the events their acceptance publishes, stored together or not at all. */
public interface PaymentStore {

    sealed interface CreateResult permits Created, KeyTaken, KeyInFlight {
    }

    /** The payment and its PaymentInitiated event were recorded. */
    record Created(Payment payment) implements CreateResult {
    }

    /** A payment already holds this idempotency key. */
    record KeyTaken(Payment existing) implements CreateResult {
    }

    /** Another request holding this idempotency key has not finished. */
    record KeyInFlight() implements CreateResult {
    }

    Optional<Payment> findByIdempotencyKey(String idempotencyKey);

    Optional<Payment> find(UUID paymentId);

    /** Records the payment and publishes its acceptance, unless its key is taken or in flight. */
    CreateResult create(Payment payment);

    /** Moves a PENDING payment to a final status; a payment already final is left as it is. */
    boolean settle(UUID paymentId, PaymentStatus status, List<String> reasons);
}
