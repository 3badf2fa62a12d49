package io.payledger.payment.persistence;

import io.payledger.payment.domain.Payment;

/**
 * What the platform is told about payments, described as messages for the transactional outbox.
 * The store appends each message in the database transaction that records the change it
 * announces, so it is published if and only if that change commits. An implementation only
 * describes messages: it is given no transaction and writes nothing.
 */
public interface PaymentEvents {

    /** The message announcing an accepted payment ({@code PaymentInitiated}). */
    OutboxMessage<?> accepted(Payment payment);
}
