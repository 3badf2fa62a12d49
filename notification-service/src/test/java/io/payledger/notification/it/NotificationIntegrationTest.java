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
        properties = {"spring.config.name=notification-service",
                // Webhook delivery on a test's time scale: few attempts, short backoff, a breaker that opens
                // after 3 failed calls and half-opens after a second, one call in flight per endpoint.
                "payledger.webhooks.max-attempts=4", "payledger.webhooks.backoff-initial=100ms",
                "payledger.webhooks.backoff-max=1s", "payledger.webhooks.connect-timeout=1s",
                "payledger.webhooks.timeout=1s", "payledger.webhooks.lease=3s", "payledger.webhooks.workers=4",
                "payledger.webhooks.max-concurrent-calls=1", "payledger.webhooks.breaker.window=3",
                "payledger.webhooks.breaker.open-duration=1s", "payledger.webhooks.poll-interval=100ms"})
@ContextConfiguration(initializers = SharedInfrastructureInitializer.class)
@interface NotificationIntegrationTest {
}
