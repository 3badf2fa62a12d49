package io.payledger.notification;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** notification-service: tells customers what happened to their payments, once per outcome. */
@SpringBootApplication
public class NotificationServiceApplication {

    /** The application with its own configuration file, {@code notification-service.yml}, so services can share a JVM. */
    public static SpringApplication application() {
        return new SpringApplicationBuilder(NotificationServiceApplication.class)
                .properties("spring.config.name=notification-service")
                .build();
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
