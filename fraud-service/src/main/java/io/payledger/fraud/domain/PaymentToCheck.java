package io.payledger.fraud.domain;

import java.time.Instant;

/** What the rules look at in a payment. */
public record PaymentToCheck(String paymentId, String sourceAccountId, String destinationAccountId,
                             long amountMinor, String currency, String reference, Instant initiatedAt) {
}
