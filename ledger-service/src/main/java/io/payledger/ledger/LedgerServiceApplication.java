package io.payledger.ledger;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** ledger-service: applies fraud-approved payments to the books and serves accounts and statements. */
@SpringBootApplication
public class LedgerServiceApplication {

    /** The application with its own configuration file, {@code ledger-service.yml}, so services can share a JVM. */
    public static SpringApplication application() {
        return new SpringApplicationBuilder(LedgerServiceApplication.class)
                .properties("spring.config.name=ledger-service")
                .build();
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
