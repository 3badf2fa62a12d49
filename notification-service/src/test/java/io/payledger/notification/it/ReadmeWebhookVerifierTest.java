package io.payledger.notification.it;

import static io.payledger.notification.it.WebhookTestSupport.TIMEOUT;
import static io.payledger.notification.it.WebhookTestSupport.pay;
import static io.payledger.notification.it.WebhookTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The verifier the README gives receivers works: compiled from the README as it stands, it accepts a real
 * delivery and refuses it replayed outside the window or with its body tampered with. And the metrics the README
 * names are on the management port.
 */
@NotificationIntegrationTest
class ReadmeWebhookVerifierTest {

    private static final String START = "<!-- webhook-verifier:start -->";
    private static final String END = "<!-- webhook-verifier:end -->";

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @TempDir
    Path build;

    private final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());
    private WebhookReceiver receiver;
    private String subscription;

    @AfterEach
    void stop() {
        if (subscription != null) {
            WebhookTestSupport.delete(port, NotificationTestSupport.OPERATOR, "/v1/webhooks/" + subscription);
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void theReadmesVerifierAcceptsARealDeliveryAndRefusesReplaysAndTampering() throws Exception {
        // Given a real delivery captured by a receiver, and its subscription's secret
        receiver = new WebhookReceiver(WebhookReceiver.Mode.OK);
        String account = unique("wver");
        HttpApi operator = NotificationTestSupport.api(port, NotificationTestSupport.OPERATOR);
        var created = WebhookTestSupport.subscribe(operator, receiver.url(), List.of(account));
        subscription = created.get("id").asString();
        String secret = created.get("secret").asString();
        pay(kafka, account);
        await().atMost(TIMEOUT).until(() -> !receiver.received().isEmpty());
        WebhookReceiver.Received delivery = receiver.received().get(0);
        long signedAt = Long.parseLong(delivery.timestamp());

        // And the README's verifier, compiled from the README
        Method verify = readmeVerifier().getMethod("verify", String.class, String.class, String.class, String.class,
                long.class);

        // Then it accepts the delivery when it arrives and at the edge of the five-minute window
        assertThat(verify.invoke(null, secret, delivery.timestamp(), delivery.signature(), delivery.body(), signedAt))
                .isEqualTo(true);
        assertThat(verify.invoke(null, secret, delivery.timestamp(), delivery.signature(), delivery.body(),
                signedAt + 300)).isEqualTo(true);

        // And refuses it replayed outside the window, with its body tampered with, or under another secret
        assertThat(verify.invoke(null, secret, delivery.timestamp(), delivery.signature(), delivery.body(),
                signedAt + 301)).isEqualTo(false);
        assertThat(verify.invoke(null, secret, delivery.timestamp(), delivery.signature(),
                delivery.body().replace("10.00 USD", "99.00 USD"), signedAt)).isEqualTo(false);
        assertThat(verify.invoke(null, secret + "x", delivery.timestamp(), delivery.signature(), delivery.body(),
                signedAt)).isEqualTo(false);

        // And the metrics the README names are scraped from the management port
        String metrics = new HttpApi("http://localhost:" + managementPort).get("/actuator/prometheus").body();
        assertThat(metrics).contains("payledger_webhook_deliveries_total{", "outcome=\"delivered\"",
                "payledger_webhook_delivery_latency_seconds", "payledger_webhook_deliveries_pending",
                "payledger_webhook_deliveries_dead",
                "resilience4j_circuitbreaker_state{", "name=\"" + subscription + "\"", "resilience4j_bulkhead_");
    }

    /** The code block between the README's verifier markers, compiled and loaded. */
    private Class<?> readmeVerifier() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        assertThat(start).as("README verifier markers").isNotNegative();
        assertThat(end).isGreaterThan(start);
        String block = readme.substring(start + START.length(), end).trim();
        assertThat(block).startsWith("```java").endsWith("```");
        String source = block.substring("```java".length(), block.length() - "```".length());
        Path file = build.resolve("PayledgerWebhookVerifier.java");
        Files.writeString(file, source, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler").isNotNull();
        assertThat(javac.run(null, null, null, "--release", "17", "-d", build.toString(), file.toString()))
                .as("the README's verifier compiles").isZero();
        URLClassLoader loader = new URLClassLoader(new URL[] {build.toUri().toURL()}, null);
        return loader.loadClass("PayledgerWebhookVerifier");
    }
}
