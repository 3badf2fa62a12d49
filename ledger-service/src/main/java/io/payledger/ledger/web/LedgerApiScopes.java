package io.payledger.ledger.web;

import io.payledger.platform.security.EndpointScopes;
import io.payledger.platform.security.Scopes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The scope each ledger endpoint needs; which accounts a caller sees is the controllers' to decide. */
@Configuration(proxyBeanMethods = false)
public class LedgerApiScopes {

    @Bean
    EndpointScopes endpointScopes() {
        return EndpointScopes.define()
                .post("/v1/accounts", Scopes.ACCOUNTS_WRITE)
                .get("/v1/accounts/{accountId}", Scopes.ACCOUNTS_READ, Scopes.ACCOUNTS_LOOKUP)
                .get("/v1/accounts/{accountId}/entries", Scopes.ACCOUNTS_READ)
                .get("/v1/transactions/{transactionId}", Scopes.LEDGER_READ);
    }
}
