package io.payledger.payment.config;

import io.payledger.payment.accounts.LedgerAccountDirectory;
import io.payledger.payment.domain.AccountDirectory;
import io.payledger.payment.domain.PaymentIntake;
import io.payledger.payment.domain.PaymentStore;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

@Configuration(proxyBeanMethods = false)
public class PaymentDomainConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AccountDirectory accountDirectory(@Value("${payledger.ledger-url}") String ledgerUrl) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
        requests.setReadTimeout(Duration.ofSeconds(5));
        RestClient ledger = RestClient.builder().baseUrl(ledgerUrl).requestFactory(requests).build();
        return new LedgerAccountDirectory(ledger);
    }

    @Bean
    PaymentIntake paymentIntake(PaymentStore store, AccountDirectory accounts, Clock clock) {
        return new PaymentIntake(store, accounts, clock, UUID::randomUUID);
    }
}
