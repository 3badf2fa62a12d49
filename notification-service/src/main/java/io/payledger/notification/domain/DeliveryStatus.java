package io.payledger.notification.domain;

/** Where a webhook delivery stands (column {@code webhook_deliveries.status}). */
public enum DeliveryStatus {
    /** Due at its next attempt time; a claim moves that forward as a lease. */
    PENDING,
    DELIVERED,
    /** Every attempt failed; redrivable. */
    DEAD,
    /** Its subscription was deleted. */
    CANCELLED
}
