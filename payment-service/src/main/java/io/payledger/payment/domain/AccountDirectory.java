package io.payledger.payment.domain;

import java.util.Optional;

/** Which accounts exist and in which currency. The ledger owns accounts; this is how we ask it. */
public interface AccountDirectory {

    record AccountSummary(String accountId, String currency) {
    }

    /**
     * @throws AccountDirectoryUnavailableException when the answer cannot be had right now
     */
    Optional<AccountSummary> find(String accountId);
}
