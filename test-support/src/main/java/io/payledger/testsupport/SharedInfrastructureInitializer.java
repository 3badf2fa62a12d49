package io.payledger.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a service's Spring context at the shared broker and database ({@link
 * SharedInfrastructure#serviceProperties()}), ahead of every other property source, as
 * {@code @DynamicPropertySource} would. Each service's integration-test annotation registers it with
 * {@code @ContextConfiguration(initializers = SharedInfrastructureInitializer.class)}; being one class
 * rather than a method per test class, it also lets test classes of the same service share a context.
 */
public class SharedInfrastructureInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        register(context, "sharedInfrastructure", SharedInfrastructure.serviceProperties());
    }

    static void register(ConfigurableApplicationContext context, String name, Map<String, String> properties) {
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(name,
                new LinkedHashMap<>(properties)));
    }
}
