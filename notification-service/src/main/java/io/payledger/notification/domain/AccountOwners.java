package io.payledger.notification.domain;

import java.util.Optional;

/**
 * Whose each account is, as this service learned it from the ledger's {@code ledger.accounts}: an
 * account's inbox and its webhooks are its owner's. An account not seen (yet) has no owner here.
 */
public interface AccountOwners {

    /** The client that opened the account; empty when unknown here or opened before accounts had owners. */
    Optional<String> ownerOf(String accountId);

    /** Records the account's owner as of ledger event {@code eventId}; the same event again changes nothing. */
    void record(String accountId, String owner, String eventId);
}
