package io.payledger.payment.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A producer's request to pay, before any checks. The idempotency key identifies the intent among the
 * submitter's own requests: the same key from the same client must always come with the same
 * {@link #fingerprint()}; another client's key of the same spelling is another intent.
 */
public record PaymentRequest(String idempotencyKey, String sourceAccountId, String destinationAccountId,
                             long amountMinor, String currency, String reference, Channel channel, String traceId,
                             Submitter submitter) {

    public PaymentRequest {
        java.util.Objects.requireNonNull(submitter, "submitter");
    }

    /** The client the payment will belong to. */
    public String clientId() {
        return submitter.clientId();
    }

    /** A digest of what is being asked (not how or when), to tell a retry from a different request under the same key. */
    public String fingerprint() {
        String canonical = String.join("\u001f", sourceAccountId, destinationAccountId, Long.toString(amountMinor),
                currency, reference == null ? "\u0000" : reference);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
