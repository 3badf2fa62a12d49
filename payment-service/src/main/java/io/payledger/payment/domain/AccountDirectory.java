package io.payledger.payment.domain;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;

/** Which accounts exist, in which currency, of which type and whose. The ledger owns accounts; this is what we know of them. */
public interface AccountDirectory {

    /** What the ledger says an account is: a customer's (which may not go negative) or the platform's. */
    enum AccountType {
        CUSTOMER,
        /** Settlement and funding accounts: they may go negative, so paying out of one mints money. */
        SYSTEM
    }

    /**
     * @param type  null for a type this service does not know: nobody may pay out of such an account
     * @param owner the client that opened the account; null for one opened before accounts had owners
     */
    record AccountSummary(String accountId, String currency, AccountType type, String owner) {
    }

    /**
     * @throws AccountDirectoryUnavailableException when the answer cannot be had right now
     */
    Optional<AccountSummary> find(String accountId);

    /**
     * The accounts among {@code accountIds} that exist, by ID: a batch's lookups at once.
     *
     * @throws AccountDirectoryUnavailableException when the answer cannot be had right now
     */
    default Map<String, AccountSummary> findAll(Collection<String> accountIds) {
        Map<String, AccountSummary> found = new HashMap<>();
        for (String accountId : new HashSet<>(accountIds)) {
            find(accountId).ifPresent(account -> found.put(accountId, account));
        }
        return found;
    }
}
