package io.payledger.platform.messaging;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Every service declares every platform topic at start-up ({@link KafkaSettings#platformTopics()}),
 * so the services can start in any order; creating a topic that exists changes nothing.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KafkaSettings.class)
public class PlatformTopicsConfig {

    @Bean
    KafkaAdmin kafkaAdmin(KafkaSettings kafka) {
        return new KafkaAdmin(kafka.adminConfig("topic-creation"));
    }

    @Bean
    KafkaAdmin.NewTopics platformTopics(KafkaSettings kafka) {
        return new KafkaAdmin.NewTopics(kafka.platformTopics().toArray(NewTopic[]::new));
    }
}
