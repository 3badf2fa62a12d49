package io.payledger.platform.messaging.progress;

import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.platform.messaging.KafkaSettings;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Watches the progress of every consumer group the service declares as a {@link ConsumedTopics}
 * bean, and reports it as the {@code consumerProgress} health indicator (add it to the readiness
 * group: {@code management.endpoint.health.group.readiness.include=readinessState,consumerProgress}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({KafkaSettings.class, ConsumerProgressSettings.class})
public class ConsumerProgressConfig {

    @Bean
    ConsumerProgressMonitor consumerProgressMonitor(KafkaSettings kafka, ConsumerProgressSettings settings,
                                                    List<ConsumedTopics> consumed, MeterRegistry meters) {
        return new ConsumerProgressMonitor(kafka, settings, consumed, meters, Clock.systemUTC());
    }

    @Bean
    HealthIndicator consumerProgressHealthIndicator(ConsumerProgressMonitor monitor) {
        return new ConsumerProgressHealthIndicator(monitor.progress());
    }
}
