package io.payledger.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code TRACING_OTLP_ENDPOINT} alone decides whether spans are made: off means none at all, not unexported ones. */
class TracingSwitchTest {

    private final ApplicationContextRunner service = new ApplicationContextRunner()
            .withInitializer(context -> new TracingEnvironmentPostProcessor()
                    .postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
            .withConfiguration(AutoConfigurations.of(TracingOffAutoConfiguration.class,
                    OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class,
                    MicrometerTracingAutoConfiguration.class, NoopTracerAutoConfiguration.class));

    @Test
    void withoutAnEndpointNoSpanIsMadeAndNoContextIsWritten() {
        // Given a service with no TRACING_OTLP_ENDPOINT
        service.run(context -> {
            // When a record is consumed and the service writes its context on what it produces
            RecordTracing tracing = new RecordTracing(context.getBean(Tracer.class), context.getBean(Propagator.class));
            Span consumed = tracing.consumed("apply payment", "payments.fraud-decisions", incoming());
            Map<String, String> written = new HashMap<>();
            tracing.inject(consumed, written);

            // Then no span exists, sampled or not, and nothing is written
            assertThat(context).doesNotHaveBean(OtelTracer.class);
            assertThat(consumed.isNoop()).isTrue();
            assertThat(written).isEmpty();
        });
    }

    @Test
    void anEndpointTurnsSpansOnContinuingTheProducersTrace() {
        // Given a service pointed at a collector
        service.withPropertyValues("TRACING_OTLP_ENDPOINT=http://127.0.0.1:9/v1/traces").run(context -> {
            // When a record is consumed and the service writes its context on what it produces
            RecordTracing tracing = new RecordTracing(context.getBean(Tracer.class), context.getBean(Propagator.class));
            Span consumed = tracing.consumed("apply payment", "payments.fraud-decisions", incoming());
            Map<String, String> written = new HashMap<>();
            tracing.inject(consumed, written);

            // Then the span is real (recording while open), in the producer's trace, and its context travels on
            assertThat(context.getBean(Tracer.class)).isInstanceOf(OtelTracer.class);
            assertThat(consumed.isNoop()).isFalse();
            assertThat(consumed.context().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(written.get(RecordTracing.TRACEPARENT)).contains("4bf92f3577b34da6a3ce929d0e0e4736");
            consumed.end();
        });
    }

    private static Headers incoming() {
        return new RecordHeaders().add(RecordTracing.TRACEPARENT,
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
    }
}
