package io.payledger.payment.config;

import io.payledger.payment.domain.PaymentStore;
import io.payledger.payment.messaging.CommandTraceContexts;
import io.payledger.payment.messaging.PaymentEventOutbox;
import io.payledger.payment.persistence.JdbiPaymentStore;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.platform.outbox.OutboxWriter;
import io.payledger.platform.tracing.RecordTracing;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class PaymentPersistenceConfig {

    @Bean
    PaymentStore paymentStore(Jdbi jdbi, KafkaSettings kafka, RecordTracing tracing, CommandTraceContexts commandTraces,
                              Clock clock) {
        return new JdbiPaymentStore(jdbi, new OutboxWriter(kafka.serdeSettings(), tracing),
                new PaymentEventOutbox(commandTraces), clock);
    }
}
