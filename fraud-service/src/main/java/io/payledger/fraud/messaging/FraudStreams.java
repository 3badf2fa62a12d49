package io.payledger.fraud.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.springframework.context.SmartLifecycle;

/** Runs the fraud topology for as long as the application runs. */
public final class FraudStreams implements SmartLifecycle {

    private final Topology topology;
    private final Properties config;
    private final StreamsUncaughtExceptionHandler threadFailures;
    private final MeterRegistry meters;
    private KafkaStreams streams;
    private KafkaStreamsMetrics metrics;

    public FraudStreams(Topology topology, Properties config, StreamsUncaughtExceptionHandler threadFailures,
                        MeterRegistry meters) {
        this.topology = topology;
        this.config = config;
        this.threadFailures = threadFailures;
        this.meters = meters;
    }

    @Override
    public synchronized void start() {
        streams = new KafkaStreams(topology, config);
        streams.setUncaughtExceptionHandler(threadFailures);
        metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(meters);
        streams.start();
    }

    @Override
    public synchronized void stop() {
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
            metrics.close();
            streams = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return streams != null;
    }

    public synchronized KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.NOT_RUNNING : streams.state();
    }
}
