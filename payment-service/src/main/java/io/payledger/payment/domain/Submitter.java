package io.payledger.payment.domain;

/**
 * Who submits a payment: the client it will belong to (the OAuth2 client ID over HTTP, the Kafka
 * producer's principal name over Kafka) and whether it may pay out of the platform's SYSTEM accounts,
 * which may go negative (HTTP: the {@code funding} or {@code ops} scope; Kafka: never, no scope travels there).
 */
public record Submitter(String clientId, boolean mayPayFromSystemAccounts) {

    public Submitter {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("a payment is submitted by a client");
        }
    }

    /** A Kafka producer: it owns what it submits and may not pay out of SYSTEM accounts. */
    public static Submitter producer(String principalName) {
        return new Submitter(principalName, false);
    }
}
