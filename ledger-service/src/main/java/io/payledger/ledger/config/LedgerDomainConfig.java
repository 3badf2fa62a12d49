package io.payledger.ledger.config;

import io.payledger.ledger.domain.Books;
import io.payledger.ledger.domain.PaymentPoster;
import io.payledger.ledger.domain.PostingEngine;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class LedgerDomainConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    PaymentPoster paymentPoster(Books books, Clock clock) {
        return new PaymentPoster(books, new PostingEngine(), clock);
    }
}
