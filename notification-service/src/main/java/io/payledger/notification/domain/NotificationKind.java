package io.payledger.notification.domain;

/** What a notification tells the customer. One of each at most per payment. */
public enum NotificationKind {
    PAYMENT_ACCEPTED,
    PAYMENT_REJECTED,
    PAYMENT_POSTED,
    PAYMENT_DECLINED,
    /** To the payee: money arrived in its account. */
    PAYMENT_RECEIVED
}
