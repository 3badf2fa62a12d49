package io.payledger.notification.it;

import io.payledger.notification.NotificationServiceApplication;
import io.payledger.testsupport.SharedInfrastructureInitializer;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * notification-service as deployed, on a random HTTP port, with its own configuration file, on the shared
 * broker and database.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(classes = NotificationServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=notification-service")
@ContextConfiguration(initializers = SharedInfrastructureInitializer.class)
@interface NotificationIntegrationTest {
}
