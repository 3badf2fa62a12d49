package io.payledger.payment.config;

import io.payledger.payment.accounts.AccountCopy;
import io.payledger.payment.domain.PaymentIntake;
import io.payledger.payment.domain.PaymentStore;
import io.payledger.platform.ids.TimeOrderedUuids;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class PaymentDomainConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The ledger's accounts as this service knows them, from ledger.accounts: no call to ledger-service. */
    @Bean
    AccountCopy accountCopy(Jdbi jdbi) {
        return new AccountCopy(jdbi);
    }

    /** Payment IDs in the order they were minted, so each index keyed by one grows at its right edge. */
    @Bean
    PaymentIntake paymentIntake(PaymentStore store, AccountCopy accounts, Clock clock) {
        return new PaymentIntake(store, accounts, clock, new TimeOrderedUuids(clock));
    }
}
