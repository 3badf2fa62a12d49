package io.payledger.platform.logging;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * How a service's console log looks, chosen by {@code LOG_FORMAT}: {@code text} (the default, one human-readable
 * line per event) or one JSON object per line in Spring Boot's structured formats, {@code ecs} (Elastic Common
 * Schema), {@code logstash} or {@code gelf}. Every format carries the logging context: the payment ID, the trace ID
 * and, with tracing on, the span ID. Decided before the logging system starts; an unknown format stops the service
 * at once rather than logging in a shape nobody's pipeline parses.
 */
public final class LogFormatEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String VARIABLE = "LOG_FORMAT";
    static final Set<String> STRUCTURED = Set.of("ecs", "logstash", "gelf");
    static final String TEXT = "text";

    /** The text format's context, between the thread and the logger (Spring Boot's correlation slot). */
    static final String TEXT_CONTEXT = "[paymentId=%X{paymentId:-} traceId=%X{traceId:-} spanId=%X{spanId:-}] ";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String format = environment.getProperty(VARIABLE, TEXT).strip().toLowerCase(Locale.ROOT);
        Map<String, Object> defaults = new HashMap<>();
        if (STRUCTURED.contains(format)) {
            defaults.put("logging.structured.format.console", format);
        } else if (TEXT.equals(format) || format.isEmpty()) {
            defaults.put("logging.pattern.correlation", TEXT_CONTEXT);
        } else {
            throw new IllegalStateException(VARIABLE + " is " + format + "; it must be " + TEXT + ", ecs, logstash or gelf");
        }
        // Ahead of Spring Boot's own default (its tracing sets the correlation pattern too); behind anything set.
        environment.getPropertySources().addLast(new MapPropertySource("payledgerLogFormat", defaults));
    }
}
