package io.payledger.ledger.domain;

import java.util.UUID;

/**
 * A fraud-approved payment for the ledger to apply. The payment ID is the transaction ID; the trace
 * ID (may be null) only correlates logs and events across services.
 */
public record PaymentInstruction(UUID transactionId, String sourceAccountId, String destinationAccountId,
                                 long amountMinor, String currency, String reference, String traceId) {
}
