package io.payledger.fraud.it;

import io.payledger.fraud.FraudServiceApplication;
import io.payledger.testsupport.SharedBrokerInitializer;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * fraud-service as deployed, on a random HTTP port, with its own configuration file, on the shared broker
 * (it has no database).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(classes = FraudServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=fraud-service")
@ContextConfiguration(initializers = SharedBrokerInitializer.class)
@interface FraudIntegrationTest {
}
