package io.payledger.platform.tracing;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Tracing is off unless {@code TRACING_OTLP_ENDPOINT} names a collector (OTLP over HTTP, e.g.
 * {@code http://collector:4318/v1/traces}): one variable turns it on and points it there. On, every payment is
 * sampled unless {@code TRACING_SAMPLING_PROBABILITY} says otherwise. Off, Micrometer's no-op tracer stands in
 * ({@link TracingOffAutoConfiguration}), so no span is made, recorded or sent. Decided before any
 * auto-configuration reads it; anything set explicitly ({@code management.tracing.*} in a service's own
 * configuration) still wins.
 */
public final class TracingEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String ENDPOINT_VARIABLE = "TRACING_OTLP_ENDPOINT";
    static final String SAMPLING_VARIABLE = "TRACING_SAMPLING_PROBABILITY";
    /** What this decided: {@code true} or {@code false}. */
    static final String TRACING_ENABLED = "payledger.tracing.enabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String endpoint = environment.getProperty(ENDPOINT_VARIABLE, "").strip();
        Map<String, Object> defaults = new HashMap<>();
        boolean on = !endpoint.isEmpty();
        defaults.put(TRACING_ENABLED, String.valueOf(on));
        // Spring Boot 4's name; its 3.x name, management.tracing.enabled, is no longer read.
        defaults.put("management.tracing.export.enabled", String.valueOf(on));
        if (on) {
            defaults.put("management.opentelemetry.tracing.export.otlp.endpoint", endpoint);
            defaults.put("management.tracing.sampling.probability",
                    environment.getProperty(SAMPLING_VARIABLE, "1.0"));
        }
        // OTLP carries traces only: metrics are scraped from /actuator/prometheus and logs go to the console
        // (structured or not); the OpenTelemetry starter would otherwise push both to localhost:4318.
        defaults.put("management.otlp.metrics.export.enabled", "false");
        defaults.put("management.logging.export.otlp.enabled", "false");
        environment.getPropertySources().addLast(new MapPropertySource("payledgerTracing", defaults));
    }
}
