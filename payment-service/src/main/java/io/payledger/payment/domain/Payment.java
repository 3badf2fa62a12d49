package io.payledger.payment.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A payment as payment-service tracks it. The payment ID is also the ledger transaction ID.
 *
 * @param clientId the client the payment belongs to, which submitted it; null for a payment recorded
 *                 before payments had owners, which only operators see
 */
public record Payment(UUID paymentId, String clientId, String idempotencyKey, String requestFingerprint, Channel channel,
                      String sourceAccountId, String destinationAccountId, long amountMinor, String currency,
                      String reference, PaymentStatus status, List<String> reasons, String traceId,
                      Instant createdAt, Instant updatedAt) {

    public Payment {
        reasons = List.copyOf(reasons);
    }

    static Payment accept(PaymentRequest request, UUID paymentId, Instant now) {
        return new Payment(paymentId, request.clientId(), request.idempotencyKey(), request.fingerprint(), request.channel(),
                request.sourceAccountId(), request.destinationAccountId(), request.amountMinor(), request.currency(),
                request.reference(), PaymentStatus.PENDING, List.of(), request.traceId(), now, now);
    }
}
