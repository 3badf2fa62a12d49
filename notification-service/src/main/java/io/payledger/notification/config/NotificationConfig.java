package io.payledger.notification.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.notification.delivery.WebhookDispatcher;
import io.payledger.notification.domain.AccountOwners;
import io.payledger.notification.domain.NotificationStore;
import io.payledger.notification.domain.Notifier;
import io.payledger.notification.messaging.AccountStateListener;
import io.payledger.notification.messaging.LoggingNotificationSender;
import io.payledger.notification.messaging.PaymentEventListener;
import io.payledger.notification.persistence.JdbiAccountOwners;
import io.payledger.notification.persistence.JdbiNotificationStore;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.platform.messaging.ListenerContainers;
import io.payledger.platform.messaging.progress.ConsumedTopics;
import io.payledger.platform.messaging.progress.ConsumerProgressConfig;
import io.payledger.platform.tracing.RecordTracing;
import io.payledger.schemas.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;
import org.jdbi.v3.core.Jdbi;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
@Import(ConsumerProgressConfig.class)
public class NotificationConfig {

    static final String CONSUMER_GROUP = "notification-service";
    /** The copy of the accounts' owners, from ledger.accounts: a group of its own, read from the beginning. */
    static final String ACCOUNTS_CONSUMER_GROUP = "notification-service.accounts";

    @Bean
    NotificationStore notificationStore(Jdbi jdbi) {
        return new JdbiNotificationStore(jdbi);
    }

    @Bean
    AccountOwners accountOwners(Jdbi jdbi) {
        return new JdbiAccountOwners(jdbi);
    }

    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> accountStateContainer(ListenerContainers containers,
                                                                             KafkaSettings kafka,
                                                                             Producer<byte[], byte[]> deadLetterProducer,
                                                                             AccountOwners owners, MeterRegistry meters) {
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(deadLetterProducer, ACCOUNTS_CONSUMER_GROUP, meters);
        AccountStateListener listener = new AccountStateListener(kafka.serdeSettings(), deadLetters, owners);
        return containers.forRecords(ACCOUNTS_CONSUMER_GROUP, deadLetters, listener::onRecord,
                Topics.LEDGER_ACCOUNTS.name());
    }

    @Bean
    ConsumedTopics accountStatesConsumed() {
        return new ConsumedTopics(ACCOUNTS_CONSUMER_GROUP, Topics.LEDGER_ACCOUNTS.name());
    }

    @Bean
    Notifier notifier(NotificationStore store,
                      @Value("${payledger.notification.redelivery-interval:30s}") Duration retryDelay,
                      ObjectProvider<WebhookDispatcher> dispatcher) {
        // The webhook dispatcher, where it runs, hears of each new notification at once instead of at its next poll.
        return new Notifier(store, new LoggingNotificationSender(), Clock.systemUTC(), retryDelay,
                () -> dispatcher.ifAvailable(WebhookDispatcher::wake));
    }

    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> paymentEventContainer(ListenerContainers containers,
                                                                             KafkaSettings kafka,
                                                                             Producer<byte[], byte[]> deadLetterProducer,
                                                                             Notifier notifier, MeterRegistry meters,
                                                                             RecordTracing tracing,
                                                                             @Value("${payledger.notification.consumers:4}")
                                                                             int consumers) {
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(deadLetterProducer, CONSUMER_GROUP, meters);
        PaymentEventListener listener = new PaymentEventListener(kafka.serdeSettings(), deadLetters, notifier);
        // A poll is one transaction, so a consumer waits on a commit per poll; several consumers overlap those
        // waits. A partition still has one consumer, so its order holds.
        return containers.forBatches(CONSUMER_GROUP, ListenerContainers.RECORDS_PER_POLL, consumers,
                tracing.around("notify", listener::onBatch), Topics.PAYMENTS_INITIATED.name(), Topics.FRAUD_DECISIONS.name(),
                Topics.LEDGER_TRANSACTIONS.name());
    }

    /** What the consumer progress monitor watches: readiness goes DOWN while a partition is stalled. */
    @Bean
    ConsumedTopics paymentEventsConsumed() {
        return new ConsumedTopics(CONSUMER_GROUP, Topics.PAYMENTS_INITIATED.name(), Topics.FRAUD_DECISIONS.name(),
                Topics.LEDGER_TRANSACTIONS.name());
    }

    @Bean
    RedeliverySchedule redeliverySchedule(Notifier notifier) {
        return new RedeliverySchedule(notifier);
    }

    /** Retries notifications whose delivery failed. */
    static final class RedeliverySchedule {

        private final Notifier notifier;

        RedeliverySchedule(Notifier notifier) {
            this.notifier = notifier;
        }

        @Scheduled(fixedDelayString = "${payledger.notification.redelivery-interval:30s}")
        void redeliver() {
            notifier.redeliver(100);
        }
    }
}
