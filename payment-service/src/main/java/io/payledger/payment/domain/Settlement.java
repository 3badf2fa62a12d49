package io.payledger.payment.domain;

import java.util.List;
import java.util.UUID;

/**
 * A payment's final status as an outcome event reports it (POSTED, DECLINED or REJECTED, with its reasons), and the
 * payment the event says it is about: a payment is settled only by an outcome about that very payment.
 */
public record Settlement(UUID paymentId, PaymentStatus status, List<String> reasons, String sourceAccountId,
                         String destinationAccountId, long amountMinor, String currency) {

    public Settlement {
        if (status == PaymentStatus.PENDING) {
            throw new IllegalArgumentException("PENDING is no final status");
        }
        reasons = List.copyOf(reasons);
    }

    /** Whether the payment is the one this outcome describes: same accounts, amount and currency. */
    public boolean describes(Payment payment) {
        return payment.paymentId().equals(paymentId) && payment.sourceAccountId().equals(sourceAccountId)
                && payment.destinationAccountId().equals(destinationAccountId)
                && payment.amountMinor() == amountMinor && payment.currency().equals(currency);
    }
}
