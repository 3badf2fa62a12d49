package io.payledger.identity;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * identity-service: the platform's OAuth2 authorization server. It issues signed JWT access tokens to the clients
 * its configuration names (client-credentials grant only) and publishes its signing keys, which rotate, at its
 * JWKS endpoint. It needs neither Kafka nor a database: clients come from configuration and keys live in memory.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IdentityServiceApplication {

    /** The application with its own configuration file, {@code identity-service.yml}, so services can share a JVM. */
    public static SpringApplication application() {
        return new SpringApplicationBuilder(IdentityServiceApplication.class)
                .main(IdentityServiceApplication.class)
                .properties("spring.config.name=identity-service")
                .build();
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
