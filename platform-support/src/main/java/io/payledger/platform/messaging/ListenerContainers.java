package io.payledger.platform.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;

/**
 * Builds every listener container of the platform the one way: raw bytes with the platform's consumer
 * settings, offsets committed after the listener returns, consumer metrics, records redriven for
 * another group skipped, and fail-closed error handling (transient failures retried for as long as
 * they last; see {@link FailClosedErrorHandling}).
 */
public final class ListenerContainers {

    /** Records per poll of a record listener. */
    public static final int RECORDS_PER_POLL = 500;

    /**
     * How soon a container subscribed by pattern sees a topic created after it started: its consumers
     * refresh their metadata this often (Kafka's default is 5 minutes), unless
     * {@code payledger.kafka.consumer[metadata.max.age.ms]} says otherwise.
     */
    public static final Duration NEW_TOPIC_DISCOVERY = Duration.ofSeconds(30);

    private final KafkaSettings kafka;
    private final MeterRegistry meters;

    public ListenerContainers(KafkaSettings kafka, MeterRegistry meters) {
        this.kafka = kafka;
        this.meters = meters;
    }

    /**
     * A container handing one record at a time to {@code listener}; a record that fails unexpectedly is
     * retried a bounded number of times, then goes to its dead-letter topic through {@code deadLetters}.
     */
    public ConcurrentMessageListenerContainer<byte[], byte[]> forRecords(String group, DeadLetterPublisher deadLetters,
                                                                         MessageListener<byte[], byte[]> listener,
                                                                         String... topics) {
        return recordContainer(group, deadLetters, kafka.consumerConfig(group, RECORDS_PER_POLL), listener,
                new ContainerProperties(topics));
    }

    /**
     * As {@link #forRecords(String, DeadLetterPublisher, MessageListener, String...)}, subscribed to every
     * topic whose whole name matches {@code topics}, those created later included (found within
     * {@link #NEW_TOPIC_DISCOVERY}). A record goes to the dead-letter topic of the topic it came from.
     */
    public ConcurrentMessageListenerContainer<byte[], byte[]> forRecords(String group, DeadLetterPublisher deadLetters,
                                                                         MessageListener<byte[], byte[]> listener,
                                                                         Pattern topics) {
        Map<String, Object> config = kafka.consumerConfig(group, RECORDS_PER_POLL);
        config.putIfAbsent(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) NEW_TOPIC_DISCOVERY.toMillis());
        return recordContainer(group, deadLetters, config, listener, new ContainerProperties(topics));
    }

    private ConcurrentMessageListenerContainer<byte[], byte[]> recordContainer(String group,
                                                                               DeadLetterPublisher deadLetters,
                                                                               Map<String, Object> config,
                                                                               MessageListener<byte[], byte[]> listener,
                                                                               ContainerProperties properties) {
        ConcurrentMessageListenerContainer<byte[], byte[]> container = container(config, listener, properties);
        container.setCommonErrorHandler(FailClosedErrorHandling.deadLetterAfterAttempts(group, deadLetters, meters));
        container.setRecordInterceptor(new RedriveTargets(group, meters).recordInterceptor());
        return container;
    }

    /**
     * A container handing each polled batch, up to {@code batchSize} records, to {@code listener}, which
     * isolates its own bad records: whatever it throws is retried, the whole batch, until it goes through.
     */
    public ConcurrentMessageListenerContainer<byte[], byte[]> forBatches(String group, int batchSize, int concurrency,
                                                                         BatchMessageListener<byte[], byte[]> listener,
                                                                         String... topics) {
        return batchContainer(group, concurrency, kafka.consumerConfig(group, batchSize), listener,
                new ContainerProperties(topics));
    }

    /**
     * As {@link #forBatches(String, int, int, BatchMessageListener, String...)}, subscribed to every topic whose
     * whole name matches {@code topics}, those created later included (found within {@link #NEW_TOPIC_DISCOVERY}).
     */
    public ConcurrentMessageListenerContainer<byte[], byte[]> forBatches(String group, int batchSize, int concurrency,
                                                                         BatchMessageListener<byte[], byte[]> listener,
                                                                         Pattern topics) {
        Map<String, Object> config = kafka.consumerConfig(group, batchSize);
        config.putIfAbsent(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) NEW_TOPIC_DISCOVERY.toMillis());
        return batchContainer(group, concurrency, config, listener, new ContainerProperties(topics));
    }

    private ConcurrentMessageListenerContainer<byte[], byte[]> batchContainer(String group, int concurrency,
                                                                              Map<String, Object> config,
                                                                              BatchMessageListener<byte[], byte[]> listener,
                                                                              ContainerProperties properties) {
        ConcurrentMessageListenerContainer<byte[], byte[]> container = container(config, listener, properties);
        container.setConcurrency(concurrency);
        container.setCommonErrorHandler(FailClosedErrorHandling.retryForever(group, meters));
        container.setBatchInterceptor(new RedriveTargets(group, meters).batchInterceptor());
        return container;
    }

    private ConcurrentMessageListenerContainer<byte[], byte[]> container(Map<String, Object> consumerConfig,
                                                                         Object listener, ContainerProperties properties) {
        DefaultKafkaConsumerFactory<byte[], byte[]> consumers = new DefaultKafkaConsumerFactory<>(consumerConfig);
        consumers.addListener(new MicrometerConsumerListener<>(meters));
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setMessageListener(listener);
        // Traces are the trace-id header's business (TraceHeaders), not Spring's observation.
        properties.setObservationEnabled(false);
        return new ConcurrentMessageListenerContainer<>(consumers, properties);
    }
}
