package io.payledger.payment.domain;

/** A payment's status as the producer sees it. Every status but PENDING is final. */
public enum PaymentStatus {
    /** Accepted; waiting for fraud and ledger. */
    PENDING,
    /** fraud-service rejected it; no money moved. */
    REJECTED,
    /** The ledger posted it. */
    POSTED,
    /** The ledger declined it (for example INSUFFICIENT_FUNDS); no money moved. */
    DECLINED;

    public boolean isFinal() {
        return this != PENDING;
    }
}
