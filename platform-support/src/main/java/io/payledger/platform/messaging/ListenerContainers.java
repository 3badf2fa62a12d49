package io.payledger.platform.messaging;

import io.micrometer.core.instrument.MeterRegistry;
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
        ConcurrentMessageListenerContainer<byte[], byte[]> container = container(group, RECORDS_PER_POLL, listener, topics);
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
        ConcurrentMessageListenerContainer<byte[], byte[]> container = container(group, batchSize, listener, topics);
        container.setConcurrency(concurrency);
        container.setCommonErrorHandler(FailClosedErrorHandling.retryForever(group, meters));
        container.setBatchInterceptor(new RedriveTargets(group, meters).batchInterceptor());
        return container;
    }

    private ConcurrentMessageListenerContainer<byte[], byte[]> container(String group, int maxPollRecords,
                                                                         Object listener, String... topics) {
        DefaultKafkaConsumerFactory<byte[], byte[]> consumers =
                new DefaultKafkaConsumerFactory<>(kafka.consumerConfig(group, maxPollRecords));
        consumers.addListener(new MicrometerConsumerListener<>(meters));
        ContainerProperties properties = new ContainerProperties(topics);
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setMessageListener(listener);
        // Traces are the trace-id header's business (TraceHeaders), not Spring's observation.
        properties.setObservationEnabled(false);
        return new ConcurrentMessageListenerContainer<>(consumers, properties);
    }
}
