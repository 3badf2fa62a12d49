package io.payledger.payment.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.payment.accounts.AccountCopy;
import io.payledger.payment.domain.PaymentIntake;
import io.payledger.payment.domain.PaymentStore;
import io.payledger.payment.messaging.CommandTraceContexts;
import io.payledger.payment.messaging.LedgerAccountListener;
import io.payledger.payment.messaging.PaymentCommandListener;
import io.payledger.payment.messaging.PaymentOutcomeListener;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.platform.messaging.ListenerContainers;
import io.payledger.platform.messaging.progress.ConsumedTopics;
import io.payledger.platform.messaging.progress.ConsumerProgressConfig;
import io.payledger.platform.outbox.OutboxRelaySource;
import io.payledger.platform.relay.RelaySettings;
import io.payledger.platform.relay.TransactionalRelay;
import io.payledger.platform.tracing.RecordTracing;
import io.payledger.schemas.topic.Topics;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.jdbi.v3.core.Jdbi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

@Configuration(proxyBeanMethods = false)
@Import(ConsumerProgressConfig.class)
public class PaymentMessagingConfig {

    static final String CONSUMER_GROUP = "payment-service";
    static final String OUTCOMES_CONSUMER_GROUP = "payment-service.outcomes";
    static final String ACCOUNTS_CONSUMER_GROUP = "payment-service.accounts";
    static final String RELAY_NAME = "payment-service.outbox";

    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> paymentCommandContainer(ListenerContainers containers,
                                                                               KafkaSettings kafka,
                                                                               Producer<byte[], byte[]> deadLetterProducer,
                                                                               PaymentIntake intake,
                                                                               RecordTracing tracing,
                                                                               CommandTraceContexts commandTraces,
                                                                               MeterRegistry meters) {
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(deadLetterProducer, CONSUMER_GROUP, meters);
        PaymentCommandListener listener = new PaymentCommandListener(kafka.serdeSettings(), deadLetters, intake,
                tracing, commandTraces);
        // Every producer's topic, payments.commands.<producer>, including those onboarded later.
        return containers.forBatches(CONSUMER_GROUP, ListenerContainers.RECORDS_PER_POLL, 1, listener::onBatch,
                Topics.PAYMENT_COMMANDS_SUBSCRIPTION);
    }

    /** Shared by the command listener, which fills it per poll, and the outbox description, which reads it. */
    @Bean
    CommandTraceContexts commandTraceContexts() {
        return new CommandTraceContexts();
    }

    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> paymentOutcomeContainer(ListenerContainers containers,
                                                                               KafkaSettings kafka,
                                                                               Producer<byte[], byte[]> deadLetterProducer,
                                                                               PaymentStore payments,
                                                                               RecordTracing tracing,
                                                                               MeterRegistry meters, Clock clock) {
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(deadLetterProducer, OUTCOMES_CONSUMER_GROUP, meters);
        PaymentOutcomeListener listener = new PaymentOutcomeListener(kafka.serdeSettings(), deadLetters, payments,
                meters, clock);
        return containers.forBatches(OUTCOMES_CONSUMER_GROUP, ListenerContainers.RECORDS_PER_POLL, 1,
                tracing.around("settle payment", listener::onBatch), Topics.FRAUD_DECISIONS.name(),
                Topics.LEDGER_TRANSACTIONS.name());
    }

    /** The copy of the ledger's accounts that intake checks against, from ledger.accounts. */
    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> ledgerAccountContainer(ListenerContainers containers,
                                                                              KafkaSettings kafka,
                                                                              Producer<byte[], byte[]> deadLetterProducer,
                                                                              AccountCopy copy,
                                                                              MeterRegistry meters) {
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(deadLetterProducer, ACCOUNTS_CONSUMER_GROUP, meters);
        LedgerAccountListener listener = new LedgerAccountListener(kafka.serdeSettings(), deadLetters, copy);
        return containers.forRecords(ACCOUNTS_CONSUMER_GROUP, deadLetters, listener::onRecord,
                Topics.LEDGER_ACCOUNTS.name());
    }

    @Bean
    TransactionalRelay paymentOutboxRelay(KafkaSettings kafka, Jdbi jdbi, DataSource dataSource,
                                          MeterRegistry meters, RecordTracing tracing) {
        return new TransactionalRelay(RelaySettings.defaults(RELAY_NAME), new OutboxRelaySource(jdbi), dataSource,
                kafka, meters, tracing);
    }

    /** What the consumer progress monitor watches: readiness goes DOWN while a partition is stalled. */
    @Bean
    ConsumedTopics paymentCommandsConsumed() {
        return ConsumedTopics.matching(CONSUMER_GROUP, Topics.PAYMENT_COMMANDS_SUBSCRIPTION);
    }

    @Bean
    ConsumedTopics paymentOutcomesConsumed() {
        return new ConsumedTopics(OUTCOMES_CONSUMER_GROUP, Topics.FRAUD_DECISIONS.name(),
                Topics.LEDGER_TRANSACTIONS.name());
    }

    @Bean
    ConsumedTopics ledgerAccountsConsumed() {
        return new ConsumedTopics(ACCOUNTS_CONSUMER_GROUP, Topics.LEDGER_ACCOUNTS.name());
    }
}
