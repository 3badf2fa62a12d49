package io.payledger.fraud.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.payledger.fraud.domain.FraudRules;
import io.payledger.fraud.messaging.DeadLetteringDeserializationHandler;
import io.payledger.fraud.messaging.DeadLetteringProcessingHandler;
import io.payledger.fraud.messaging.FraudStreams;
import io.payledger.fraud.messaging.FraudTopology;
import io.payledger.fraud.messaging.StreamThreadFailurePolicy;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.platform.messaging.RedriveTargets;
import io.payledger.platform.messaging.progress.ConsumedTopics;
import io.payledger.platform.messaging.progress.ConsumerProgressConfig;
import io.payledger.platform.tracing.RecordTracing;
import io.payledger.schemas.topic.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FraudSettings.class)
@Import(ConsumerProgressConfig.class)
public class FraudConfig {

    static final String APPLICATION_ID = "fraud-service";

    /** A stream thread is replaced after a failure at most this often within {@link #THREAD_FAILURE_WINDOW}. */
    static final int MAX_THREAD_FAILURES = 3;
    static final Duration THREAD_FAILURE_WINDOW = Duration.ofMinutes(5);

    @Bean
    FraudRules fraudRules(FraudSettings settings) {
        return new FraudRules(settings.limitsMinor(), settings.defaultLimitMinor(), settings.maxPaymentsPerWindow(),
                settings.velocityWindow());
    }

    @Bean
    DeadLetterPublisher deadLetterPublisher(Producer<byte[], byte[]> deadLetterProducer, MeterRegistry meters) {
        return new DeadLetterPublisher(deadLetterProducer, APPLICATION_ID, meters);
    }

    @Bean
    FraudStreams fraudStreams(FraudRules rules, KafkaSettings kafka, FraudSettings settings,
                              DeadLetterPublisher deadLetterPublisher, MeterRegistry meters,
                              RecordTracing tracing) {
        Properties config = new Properties();
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 1000);
        config.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        // Every client Streams makes gets the platform's client settings; the operator's override ours.
        config.putAll(kafka.streamsConfig());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.replicationFactor());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(settings));
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetteringDeserializationHandler.class);
        // Streams makes a handler per task; they share this publisher rather than each opening a producer.
        config.put(DeadLetteringDeserializationHandler.DEAD_LETTER_PUBLISHER_CONFIG, deadLetterPublisher);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringProcessingHandler.class);
        config.put(DeadLetteringProcessingHandler.ATTEMPTS_CONFIG, new DeadLetteringProcessingHandler.Attempts());
        Topology topology = FraudTopology.build(rules, kafka.serdeSettings(), settings.decisionRetention(),
                new RedriveTargets(APPLICATION_ID, meters), tracing);
        return new FraudStreams(topology, config,
                new StreamThreadFailurePolicy(MAX_THREAD_FAILURES, THREAD_FAILURE_WINDOW, Clock.systemUTC()), meters);
    }

    /**
     * Kafka Streams tags RocksDB metrics of key-value stores {@code rocksdb.state.id} and of window
     * stores {@code rocksdb.window.state.id}; Prometheus needs one set of tag keys per metric name, so
     * without this one store's metrics would be dropped (with a warning at start-up).
     */
    @Bean
    MeterFilter oneTagForEveryStateStore() {
        return MeterFilter.renameTag("kafka.stream.state", "rocksdb.window.state.id", "rocksdb.state.id");
    }

    @Bean
    HealthIndicator fraudStreamsHealth(FraudStreams streams) {
        return () -> {
            KafkaStreams.State state = streams.state();
            return (state.isRunningOrRebalancing() ? Health.up() : Health.down()).withDetail("state", state.name())
                    .build();
        };
    }

    /**
     * What the consumer progress monitor watches. Kafka Streams commits as the consumer group named by
     * its application ID, so a stuck stream thread shows there like any stuck consumer.
     */
    @Bean
    ConsumedTopics paymentsInitiatedConsumed() {
        return new ConsumedTopics(APPLICATION_ID, Topics.PAYMENTS_INITIATED.name());
    }

    private static String stateDir(FraudSettings settings) {
        return settings.stateDir() != null && !settings.stateDir().isBlank() ? settings.stateDir()
                : Path.of(System.getProperty("java.io.tmpdir"), "payledger-fraud-streams").toString();
    }
}
