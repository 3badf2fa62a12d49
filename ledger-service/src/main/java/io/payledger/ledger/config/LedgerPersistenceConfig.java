package io.payledger.ledger.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.ledger.domain.Books;
import io.payledger.ledger.persistence.JdbiBooks;
import io.payledger.ledger.persistence.JournalReader;
import io.payledger.ledger.persistence.LedgerQueries;
import io.payledger.ledger.persistence.SerializableRetry;
import org.jdbi.v3.core.Jdbi;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LedgerSettings.class)
public class LedgerPersistenceConfig {

    @Bean
    Books books(Jdbi jdbi, LedgerSettings settings, MeterRegistry meters) {
        return new JdbiBooks(jdbi, new SerializableRetry(settings.maxAttempts(), settings.retryBaseDelay(),
                settings.retryMaxDelay(), meters));
    }

    @Bean
    LedgerQueries ledgerQueries(Jdbi jdbi) {
        return new LedgerQueries(jdbi);
    }

    @Bean
    JournalReader journalReader(Jdbi jdbi) {
        return new JournalReader(jdbi);
    }
}
