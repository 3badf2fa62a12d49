package io.payledger.payment.persistence;

import io.payledger.payment.domain.Payment;
import org.jdbi.v3.core.Handle;

/** Publishes what happened to a payment, inside the transaction that recorded it. */
public interface PaymentEvents {

    void accepted(Handle transaction, Payment payment);
}
