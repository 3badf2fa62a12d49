package io.payledger.testsupport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * A metrics reporter that remembers the settings of every Kafka client it is configured into. Given
 * to a service as a client-wide setting ({@code payledger.kafka.client[metric.reporters]}), it shows
 * which clients the service created with its client settings, and with which.
 */
public final class KafkaClientRecorder implements MetricsReporter {

    private static final List<Map<String, Object>> CLIENTS = new CopyOnWriteArrayList<>();

    /** The settings of every client created with this reporter so far, in creation order. */
    public static List<Map<String, Object>> clients() {
        return List.copyOf(CLIENTS);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        CLIENTS.add(new HashMap<>(configs));
    }

    @Override
    public void init(List<KafkaMetric> metrics) {
    }

    @Override
    public void metricChange(KafkaMetric metric) {
    }

    @Override
    public void metricRemoval(KafkaMetric metric) {
    }

    @Override
    public void close() {
    }
}
