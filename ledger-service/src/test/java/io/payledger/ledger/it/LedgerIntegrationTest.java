package io.payledger.ledger.it;

import io.payledger.ledger.LedgerServiceApplication;
import io.payledger.testsupport.SharedInfrastructureInitializer;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * ledger-service as deployed, on a random HTTP port, with its own configuration file, on the shared broker
 * and database. Test classes that carry it and nothing else that configures the context share one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(classes = LedgerServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=ledger-service")
@ContextConfiguration(initializers = SharedInfrastructureInitializer.class)
@interface LedgerIntegrationTest {
}
