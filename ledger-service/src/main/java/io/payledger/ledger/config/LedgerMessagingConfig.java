package io.payledger.ledger.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.events.FraudDecision;
import io.payledger.ledger.domain.PaymentPoster;
import io.payledger.ledger.messaging.FraudDecisionListener;
import io.payledger.ledger.messaging.LedgerEventRelaySource;
import io.payledger.ledger.persistence.JournalReader;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.platform.messaging.ListenerContainers;
import io.payledger.platform.messaging.TopicReader;
import io.payledger.platform.messaging.progress.ConsumedTopics;
import io.payledger.platform.messaging.progress.ConsumerProgressConfig;
import io.payledger.platform.relay.RelaySettings;
import io.payledger.platform.relay.TransactionalRelay;
import io.payledger.platform.tracing.RecordTracing;
import io.payledger.schemas.topic.Topics;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LedgerSettings.class)
@Import(ConsumerProgressConfig.class)
public class LedgerMessagingConfig {

    static final String CONSUMER_GROUP = "ledger-service";
    static final String RELAY_NAME = "ledger-service.events";

    @Bean
    DeadLetterPublisher deadLetterPublisher(Producer<byte[], byte[]> deadLetterProducer, MeterRegistry meters) {
        return new DeadLetterPublisher(deadLetterProducer, CONSUMER_GROUP, meters);
    }

    @Bean
    FraudDecisionListener fraudDecisionListener(KafkaSettings kafka, DeadLetterPublisher deadLetters,
                                                PaymentPoster poster, MeterRegistry meters, RecordTracing tracing) {
        return new FraudDecisionListener(new TopicReader<FraudDecision>(Topics.FRAUD_DECISIONS, kafka.serdeSettings()),
                deadLetters, poster, meters, tracing);
    }

    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> fraudDecisionContainer(ListenerContainers containers,
                                                                              LedgerSettings ledger,
                                                                              FraudDecisionListener listener) {
        return containers.forBatches(CONSUMER_GROUP, ledger.batchSize(), ledger.consumers(), listener::onBatch,
                Topics.FRAUD_DECISIONS.name());
    }

    @Bean
    TransactionalRelay ledgerEventRelay(KafkaSettings kafka, LedgerSettings ledger, JournalReader journal,
                                        DataSource dataSource, MeterRegistry meters, RecordTracing tracing) {
        RelaySettings settings = new RelaySettings(RELAY_NAME, ledger.relayBatchSize(), Duration.ofMillis(20),
                Duration.ofSeconds(1));
        return new TransactionalRelay(settings, new LedgerEventRelaySource(journal, kafka.serdeSettings()),
                dataSource, kafka, meters, tracing);
    }

    /** What the consumer progress monitor watches: readiness goes DOWN while a partition is stalled. */
    @Bean
    ConsumedTopics fraudDecisionsConsumed() {
        return new ConsumedTopics(CONSUMER_GROUP, Topics.FRAUD_DECISIONS.name());
    }
}
