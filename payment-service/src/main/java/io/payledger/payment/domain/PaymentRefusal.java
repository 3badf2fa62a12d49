package io.payledger.payment.domain;

/** Why a payment request was refused before anything was recorded. */
public enum PaymentRefusal {
    /** The idempotency key is blank, too long or has control characters. */
    INVALID_IDEMPOTENCY_KEY,
    INVALID_AMOUNT,
    INVALID_CURRENCY,
    INVALID_ACCOUNT,
    INVALID_REFERENCE,
    SAME_ACCOUNT,
    UNKNOWN_ACCOUNT,
    CURRENCY_MISMATCH,
    /** The idempotency key was used before for a different request. */
    IDEMPOTENCY_KEY_REUSED,
    /** A request with the same idempotency key is being processed right now. */
    REQUEST_IN_FLIGHT
}
