package io.payledger.payment.accounts;

import io.payledger.payment.domain.AccountDirectory;
import io.payledger.payment.domain.AccountDirectoryUnavailableException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Asks ledger-service's accounts API. An account's currency never changes and accounts are never
 * removed, so a found account is cached; a missing one is asked again next time (it may be opened).
 */
public final class LedgerAccountDirectory implements AccountDirectory {

    private static final int MAX_CACHED = 100_000;

    private record AccountResponse(String accountId, String currency) {
    }

    private final RestClient ledger;
    private final Map<String, AccountSummary> known = new ConcurrentHashMap<>();

    public LedgerAccountDirectory(RestClient ledger) {
        this.ledger = ledger;
    }

    @Override
    public Optional<AccountSummary> find(String accountId) {
        AccountSummary cached = known.get(accountId);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            AccountResponse response = ledger.get().uri("/v1/accounts/{id}", accountId)
                    .retrieve()
                    .body(AccountResponse.class);
            if (response == null) {
                throw new AccountDirectoryUnavailableException("ledger-service answered without a body", null);
            }
            AccountSummary summary = new AccountSummary(response.accountId(), response.currency());
            if (known.size() >= MAX_CACHED) {
                known.clear();
            }
            known.put(accountId, summary);
            return Optional.of(summary);
        } catch (HttpClientErrorException e) {
            if (e.getStatusCode() == HttpStatus.NOT_FOUND) {
                return Optional.empty();
            }
            throw new AccountDirectoryUnavailableException("ledger-service refused the account lookup: "
                    + e.getStatusCode(), e);
        } catch (RestClientException e) {
            throw new AccountDirectoryUnavailableException("ledger-service is unreachable: " + e.getMessage(), e);
        }
    }
}
