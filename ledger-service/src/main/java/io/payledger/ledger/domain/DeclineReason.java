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
    /** The amount is zero or negative. */
    INVALID_AMOUNT
}
