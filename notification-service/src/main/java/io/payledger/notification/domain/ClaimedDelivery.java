package io.payledger.notification.domain;

/** A delivery the dispatcher holds a lease on, with where it goes and what signs it. */
public record ClaimedDelivery(WebhookDelivery delivery, String url, String secret) {
}
