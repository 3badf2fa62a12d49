package io.payledger.fraud;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** fraud-service: a Kafka Streams application that approves or rejects each initiated payment. */
@SpringBootApplication
public class FraudServiceApplication {

    /** The application with its own configuration file, {@code fraud-service.yml}, so services can share a JVM. */
    public static SpringApplication application() {
        return new SpringApplicationBuilder(FraudServiceApplication.class)
                .properties("spring.config.name=fraud-service")
                .build();
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
