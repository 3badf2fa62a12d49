package io.payledger.platform.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.payledger.platform.relay.RelaysHealthIndicator;
import io.payledger.platform.relay.TransactionalRelay;
import io.payledger.platform.tracing.RecordTracing;
import java.time.Clock;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/**
 * What every service's Kafka side shares: the settings ({@link KafkaSettings}, defaults in
 * {@code payledger-defaults.properties}), the platform's topics, one dead-letter producer and the one
 * way to build listener containers. Each bean gives way to one the service declares itself.
 */
@AutoConfiguration
@EnableConfigurationProperties(KafkaSettings.class)
@Import(PlatformTopicsConfig.class)
@PropertySource("classpath:payledger-defaults.properties")
public class PlatformMessagingAutoConfiguration {

    /** The instance's one dead-letter producer, {@code <service>.dead-letters}; closed on shutdown. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(name = "deadLetterProducer")
    Producer<byte[], byte[]> deadLetterProducer(KafkaSettings kafka,
                                                @Value("${spring.application.name}") String service) {
        return new KafkaProducer<>(kafka.producerConfig(service + ".dead-letters"));
    }

    /** Records' trace context (W3C traceparent); Boot's no-op tracer when tracing is off. */
    @Bean
    @ConditionalOnMissingBean
    RecordTracing recordTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new RecordTracing(tracer.getIfAvailable(() -> Tracer.NOOP),
                propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    @Bean
    @ConditionalOnMissingBean
    ListenerContainers listenerContainers(KafkaSettings kafka, MeterRegistry meters) {
        return new ListenerContainers(kafka, meters);
    }

    /** Readiness component {@code relays}: DOWN while a relay refuses to publish or keeps failing. */
    @Bean
    @ConditionalOnMissingBean(name = "relaysHealthIndicator")
    HealthIndicator relaysHealthIndicator(ObjectProvider<TransactionalRelay> relays) {
        return new RelaysHealthIndicator(relays.orderedStream().toList(), Clock.systemUTC());
    }
}
