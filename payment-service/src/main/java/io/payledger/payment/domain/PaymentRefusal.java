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
    /**
     * The destination does not exist, or the source is not one the submitter may pay from: it does not
     * exist, or it is another client's. The two read alike, so no client learns of another's accounts.
     */
    UNKNOWN_ACCOUNT,
    /** The source is a SYSTEM account (paying out of one mints money) and the submitter may not fund. */
    FUNDING_SCOPE_REQUIRED,
    CURRENCY_MISMATCH,
    /** The idempotency key was used before for a different request. */
    IDEMPOTENCY_KEY_REUSED,
    /** A request with the same idempotency key is being processed right now. */
    REQUEST_IN_FLIGHT
}
