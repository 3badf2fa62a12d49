package io.payledger.notification.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.notification.domain.NotificationStore;
import io.payledger.notification.domain.Notifier;
import io.payledger.notification.messaging.LoggingNotificationSender;
import io.payledger.notification.messaging.PaymentEventListener;
import io.payledger.notification.persistence.JdbiNotificationStore;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.FailClosedErrorHandling;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.platform.messaging.PlatformTopicsConfig;
import io.payledger.platform.messaging.RedriveTargets;
import io.payledger.platform.messaging.TopicReader;
import io.payledger.platform.messaging.progress.ConsumedTopics;
import io.payledger.platform.messaging.progress.ConsumerProgressConfig;
import io.payledger.platform.web.ProblemResponses;
import io.payledger.schemas.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.jdbi.v3.core.Jdbi;
import io.payledger.platform.persistence.PlatformJdbi;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.ControllerAdvice;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KafkaSettings.class)
@EnableScheduling
@Import({PlatformTopicsConfig.class, ConsumerProgressConfig.class})
public class NotificationConfig {

    static final String CONSUMER_GROUP = "notification-service";

    @Bean
    Jdbi jdbi(DataSource dataSource) {
        return PlatformJdbi.create(dataSource);
    }

    @Bean
    NotificationStore notificationStore(Jdbi jdbi) {
        return new JdbiNotificationStore(jdbi);
    }

    @Bean
    Notifier notifier(NotificationStore store,
                      @Value("${payledger.notification.redelivery-interval:30s}") Duration retryDelay) {
        return new Notifier(store, new LoggingNotificationSender(), Clock.systemUTC(), retryDelay);
    }

    @Bean(destroyMethod = "close")
    Producer<byte[], byte[]> deadLetterProducer(KafkaSettings kafka) {
        return new KafkaProducer<>(kafka.producerConfig(CONSUMER_GROUP + ".dead-letters"));
    }

    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> paymentEventContainer(KafkaSettings kafka,
                                                                             Producer<byte[], byte[]> deadLetterProducer,
                                                                             Notifier notifier, MeterRegistry meters) {
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(deadLetterProducer, CONSUMER_GROUP, meters);
        PaymentEventListener listener = new PaymentEventListener(
                new TopicReader<>(Topics.PAYMENTS_INITIATED, kafka.serdeSettings()),
                new TopicReader<>(Topics.FRAUD_DECISIONS, kafka.serdeSettings()),
                new TopicReader<>(Topics.LEDGER_TRANSACTIONS, kafka.serdeSettings()), deadLetters, notifier);
        DefaultKafkaConsumerFactory<byte[], byte[]> consumers =
                new DefaultKafkaConsumerFactory<>(kafka.consumerConfig(CONSUMER_GROUP, 500));
        consumers.addListener(new MicrometerConsumerListener<>(meters));
        ContainerProperties properties = new ContainerProperties(Topics.PAYMENTS_INITIATED.name(),
                Topics.FRAUD_DECISIONS.name(), Topics.LEDGER_TRANSACTIONS.name());
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setMessageListener((MessageListener<byte[], byte[]>) listener::onRecord);
        ConcurrentMessageListenerContainer<byte[], byte[]> container =
                new ConcurrentMessageListenerContainer<>(consumers, properties);
        container.setCommonErrorHandler(
                FailClosedErrorHandling.deadLetterAfterAttempts(CONSUMER_GROUP, deadLetters, meters));
        container.setRecordInterceptor(new RedriveTargets(CONSUMER_GROUP, meters).recordInterceptor());
        return container;
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

    @ControllerAdvice
    static class NotificationProblemResponses extends ProblemResponses {
    }
}
