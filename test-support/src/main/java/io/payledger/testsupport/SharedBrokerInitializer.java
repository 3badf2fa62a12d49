package io.payledger.testsupport;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points the Spring context of a service without a database at the shared broker only ({@link
 * SharedInfrastructure#serviceWithoutDatabaseProperties()}): no PostgreSQL is started for it.
 */
public class SharedBrokerInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        SharedInfrastructureInitializer.register(context, "sharedBroker", SharedInfrastructure.serviceWithoutDatabaseProperties());
    }
}
