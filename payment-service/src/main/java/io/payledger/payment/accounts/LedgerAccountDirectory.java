package io.payledger.payment.accounts;

import io.payledger.payment.domain.AccountDirectory;
import io.payledger.payment.domain.AccountDirectoryUnavailableException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Asks ledger-service's accounts API ({@code GET /v1/accounts/{id}}), with payment-service's own token
 * (scope {@code accounts:lookup}, which lets it read any account's currency, type and owner). An
 * account's currency, type and owner never change and accounts are never removed, so a found account is
 * cached; a missing one is asked again next time (it may be opened).
 */
public final class LedgerAccountDirectory implements AccountDirectory {

    private static final int MAX_CACHED = 100_000;

    private record AccountResponse(String accountId, String currency, String type, String owner) {
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
            AccountSummary summary = new AccountSummary(response.accountId(), response.currency(),
                    typeOf(response.type()), response.owner());
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
        } catch (OAuth2AuthorizationException e) {
            // No token for the ledger: the issuer is away or refuses our client; later may differ.
            throw new AccountDirectoryUnavailableException("no token to ask ledger-service with: "
                    + e.getError().getErrorCode() + " " + e.getMessage(), e);
        }
    }

    /** A type this service does not know is none: nobody may pay out of it. */
    private static AccountType typeOf(String type) {
        return Arrays.stream(AccountType.values()).filter(known -> known.name().equals(type)).findFirst().orElse(null);
    }
}
