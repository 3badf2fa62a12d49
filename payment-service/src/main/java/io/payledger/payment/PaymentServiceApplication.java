package io.payledger.payment;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** payment-service: accepts payment commands over HTTP and Kafka and tracks each payment's status. */
@SpringBootApplication
public class PaymentServiceApplication {

    /** The application with its own configuration file, {@code payment-service.yml}, so services can share a JVM. */
    public static SpringApplication application() {
        return new SpringApplicationBuilder(PaymentServiceApplication.class)
                .properties("spring.config.name=payment-service")
                .build();
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
