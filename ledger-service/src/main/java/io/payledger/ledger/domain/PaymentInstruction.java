package io.payledger.ledger.domain;

import io.payledger.platform.rules.PaymentRules;
import java.util.Optional;
import java.util.UUID;

/**
 * A fraud-approved payment for the ledger to apply. The payment ID is the transaction ID; the trace
 * ID (may be null) only correlates logs and events across services. Nothing here is trusted: the
 * fields are as the record carried them, and {@link #violation()} says whether they obey the rules.
 */
public record PaymentInstruction(UUID transactionId, String sourceAccountId, String destinationAccountId,
                                 long amountMinor, String currency, String reference, String traceId) {

    /** The first of the platform's payment rules this instruction breaks, if any. */
    public Optional<PaymentRules.Violation> violation() {
        return PaymentRules.check(sourceAccountId, destinationAccountId, amountMinor, currency, reference);
    }
}
