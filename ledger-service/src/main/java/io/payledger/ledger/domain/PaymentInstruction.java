package io.payledger.ledger.domain;

import io.payledger.platform.rules.PaymentRules;
import java.util.Optional;
import java.util.UUID;

/**
 * A fraud-approved payment for the ledger to apply. The payment ID is the transaction ID; the trace
 * ID (may be null) only correlates logs and events across services, and the trace parent (a W3C
 * {@code traceparent}, null when tracing is off) only lets the events it causes continue its trace. Nothing here is trusted: the
 * fields are as the record carried them, and {@link #violation()} says whether they obey the rules.
 */
public record PaymentInstruction(UUID transactionId, String sourceAccountId, String destinationAccountId,
                                 long amountMinor, String currency, String reference, String traceId,
                                 String traceParent) {

    /** An instruction that continues no trace. */
    public PaymentInstruction(UUID transactionId, String sourceAccountId, String destinationAccountId,
                              long amountMinor, String currency, String reference, String traceId) {
        this(transactionId, sourceAccountId, destinationAccountId, amountMinor, currency, reference, traceId, null);
    }

    /** The first of the platform's payment rules this instruction breaks, if any. */
    public Optional<PaymentRules.Violation> violation() {
        return PaymentRules.check(sourceAccountId, destinationAccountId, amountMinor, currency, reference);
    }
}
