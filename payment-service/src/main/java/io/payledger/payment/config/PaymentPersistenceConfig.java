package io.payledger.payment.config;

import io.payledger.payment.domain.PaymentStore;
import io.payledger.payment.messaging.PaymentEventOutbox;
import io.payledger.payment.persistence.JdbiPaymentStore;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.platform.outbox.OutboxWriter;
import java.time.Clock;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import io.payledger.platform.persistence.PlatformJdbi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class PaymentPersistenceConfig {

    @Bean
    Jdbi jdbi(DataSource dataSource) {
        return PlatformJdbi.create(dataSource);
    }

    @Bean
    PaymentStore paymentStore(Jdbi jdbi, KafkaSettings kafka, Clock clock) {
        return new JdbiPaymentStore(jdbi, new OutboxWriter(kafka.serdeSettings()), new PaymentEventOutbox(), clock);
    }
}
