package io.payledger.notification.domain;

/** Whose payment it is: the client that submitted it ({@code owner}; null when unknown), as its acceptance said. */
public record PaymentOwner(String paymentId, String owner) {
}
