package io.payledger.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A service's console log in each LOG_FORMAT, through Spring Boot's own logging system, as a service starts it. */
@ExtendWith(OutputCaptureExtension.class)
class LogFormatTest {

    private static final String PAYMENT_ID = "4f7a3c1e-2b9d-4e8a-9c6f-0d1e2f3a4b5c";
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    @AfterEach
    void forgetTheFormat() {
        // Spring Boot hands the format to logback as a system property and never clears it: one service per JVM
        // never notices, but the next application this JVM starts would inherit it.
        System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
    }

    @Test
    void ecsWritesOneJsonObjectPerEventWithThePaymentAndTraceIds(CapturedOutput output) {
        // Given a service started with LOG_FORMAT=ecs
        try (ConfigurableApplicationContext ignored = start("ecs")) {
            // When it logs while handling a payment
            logAboutPayment("Posted");
        }

        // Then the line is JSON carrying the message, the level, the service, and the payment and trace IDs
        JsonNode event = jsonLineWith(output, "Posted");
        assertThat(event.get("log").get("level").asText()).isEqualTo("INFO");
        assertThat(event.get("service").get("name").asText()).isEqualTo("log-format-test");
        assertThat(event.get("paymentId").asText()).isEqualTo(PAYMENT_ID);
        assertThat(event.get("traceId").asText()).isEqualTo(TRACE_ID);
    }

    @Test
    void textIsTheDefaultAndCarriesThePaymentAndTraceIdsOnTheLine(CapturedOutput output) {
        // Given a service started without LOG_FORMAT
        try (ConfigurableApplicationContext ignored = start(null)) {
            // When it logs while handling a payment
            logAboutPayment("Declined");
        }

        // Then one human-readable line carries the message and the logging context
        String line = lineWith(output, "Declined");
        assertThat(line).doesNotStartWith("{")
                .contains("[paymentId=" + PAYMENT_ID + " traceId=" + TRACE_ID + " spanId=]");
    }

    @Test
    void anUnknownFormatStopsTheServiceSayingWhichAreKnown() {
        // Given LOG_FORMAT=xml; When the service starts; Then it refuses, naming the formats it knows
        assertThatThrownBy(() -> start("xml").close())
                .hasMessageContaining("LOG_FORMAT is xml; it must be text, ecs, logstash or gelf");
    }

    private static ConfigurableApplicationContext start(String format) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(Empty.class)
                .web(WebApplicationType.NONE)
                .properties("spring.application.name=log-format-test", "spring.main.banner-mode=off");
        if (format != null) {
            builder.properties("LOG_FORMAT=" + format);
        }
        return builder.run();
    }

    private static void logAboutPayment(String message) {
        try (MDC.MDCCloseable payment = MDC.putCloseable("paymentId", PAYMENT_ID);
             MDC.MDCCloseable trace = MDC.putCloseable("traceId", TRACE_ID)) {
            LoggerFactory.getLogger(LogFormatTest.class).info(message);
        }
    }

    private static String lineWith(CapturedOutput output, String message) {
        List<String> lines = Arrays.stream(output.getOut().split("\\R")).filter(line -> line.contains(message)).toList();
        assertThat(lines).as("lines logging %s in:%n%s", message, output.getOut()).hasSize(1);
        return lines.get(0);
    }

    private static JsonNode jsonLineWith(CapturedOutput output, String message) {
        return JsonMapper.builder().build().readTree(lineWith(output, "\"" + message + "\""));
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }
}
