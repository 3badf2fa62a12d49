package io.payledger.ledger.domain;

/** Why the ledger refused an approved payment. These are the reason codes on {@code TransactionDeclined}. */
public enum DeclineReason {
    /** The source is a CUSTOMER account whose balance is below the amount. */
    INSUFFICIENT_FUNDS,
    /** The source or destination account does not exist. */
    UNKNOWN_ACCOUNT,
    /** The payment's currency differs from an account's currency. */
    CURRENCY_MISMATCH,
    /** Source and destination are the same account. */
    SAME_ACCOUNT,
    /** The amount is zero or negative, or would take a balance past what 64 bits hold. */
    INVALID_AMOUNT,
    /**
     * The payment breaks the platform's payment rules (an account ID, currency or reference that payment
     * intake would have refused): it came from outside the platform's checks and is refused unapplied.
     */
    INVALID_INSTRUCTION,
    /**
     * Applying the payment failed again and again in a way no rule foresaw; it was set aside on the
     * dead-letter topic for an operator, and declined so that it reaches a final state.
     */
    UNPROCESSABLE
}
