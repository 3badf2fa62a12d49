package io.payledger.platform.tracing;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * With tracing off, Micrometer's no-op tracer and propagator, so that no span is started, sampled or not. The
 * OpenTelemetry starter would otherwise build a real tracer whatever the export settings say: Spring Boot 4 has no
 * switch that stops spans being made, only their export. Those spans were up to a fifth of a service's CPU
 * samples under load (random IDs, attributes, header parsing on every record), for traces that go nowhere.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration"})
@ConditionalOnClass(Tracer.class)
@ConditionalOnProperty(name = TracingEnvironmentPostProcessor.TRACING_ENABLED, havingValue = "false")
public class TracingOffAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Tracer tracer() {
        return Tracer.NOOP;
    }

    @Bean
    @ConditionalOnMissingBean
    Propagator propagator() {
        return Propagator.NOOP;
    }
}
