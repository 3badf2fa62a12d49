package io.payledger.notification.it;

import static io.payledger.notification.it.WebhookTestSupport.TIMEOUT;
import static io.payledger.notification.it.WebhookTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.notification.NotificationServiceApplication;
import io.payledger.notification.domain.NotificationKind;
import io.payledger.notification.domain.Notifier;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.SharedInfrastructure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The delivery log outlives the service: stopped while a receiver hangs on a delivery, the service started again
 * sends that delivery and the one queued behind it, in order. Runs its own service on a database of its own, so
 * no other dispatcher (the shared test context's) works off its deliveries.
 */
class WebhookRestartTest {

    private ConfigurableApplicationContext service;
    private WebhookReceiver receiver;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aRestartResumesTheDeliveriesThatWerePending() throws Exception {
        // Given the service on a database of its own, and a receiver that hangs, subscribed to an account
        String database = SharedInfrastructure.postgres().createDatabase(
                "webhooks_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        String[] arguments = arguments(database);
        service = NotificationServiceApplication.application().run(arguments);
        receiver = new WebhookReceiver(WebhookReceiver.Mode.HANG);
        String account = unique("wrst");
        HttpApi operator = api();
        String id = WebhookTestSupport.subscribe(operator, receiver.url(), List.of("payment.posted"), List.of(account))
                .get("id").asString();

        // And two payments of the account posted, the first delivery hanging at the receiver
        Notifier notifier = service.getBean(Notifier.class);
        List<String> payments = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        for (String payment : payments) {
            notifier.notify(payment, NotificationKind.PAYMENT_POSTED, account, "Your payment is complete.",
                    UUID.randomUUID().toString());
        }
        await().atMost(TIMEOUT).until(() -> !receiver.received().isEmpty());
        String hung = receiver.received().get(0).deliveryId();

        // When the service stops mid-delivery, and the receiver recovers while it is down
        service.close();
        service = null;
        receiver.mode(WebhookReceiver.Mode.OK);
        receiver.release();

        // And the service starts again
        service = NotificationServiceApplication.application().run(arguments);
        HttpApi restarted = api();

        // Then both deliveries are delivered, the hung one first, each once
        String delivered = "/v1/webhooks/" + id + "/deliveries?status=DELIVERED";
        await().atMost(TIMEOUT).until(() -> restarted.get(delivered).json().size() == 2);
        JsonNode deliveries = restarted.get(delivered).json();
        assertThat(deliveries.get(0).get("deliveryId").asString()).isEqualTo(hung);
        assertThat(receiver.received(WebhookReceiver.Mode.OK)).extracting(WebhookReceiver.Received::deliveryId)
                .containsExactly(hung, deliveries.get(1).get("deliveryId").asString());
        assertThat(receiver.received(WebhookReceiver.Mode.OK)).extracting(WebhookReceiver.Received::paymentId)
                .containsExactlyElementsOf(payments);
        // And before the stop only the first was tried: the second waited behind it
        assertThat(receiver.received(WebhookReceiver.Mode.HANG)).extracting(WebhookReceiver.Received::deliveryId)
                .containsOnly(hung);
    }

    private HttpApi api() {
        return NotificationTestSupport.api(((WebServerApplicationContext) service).getWebServer().getPort(),
                NotificationTestSupport.OPERATOR);
    }

    private static String[] arguments(String database) {
        Map<String, String> properties = SharedInfrastructure.serviceProperties();
        properties.put("spring.datasource.url", database);
        properties.put("server.port", "0");
        // Short timings, as in the shared test context; a lease of 3 s brings a cut-off delivery back quickly.
        properties.put("payledger.webhooks.backoff-initial", "100ms");
        properties.put("payledger.webhooks.connect-timeout", "1s");
        properties.put("payledger.webhooks.timeout", "1s");
        properties.put("payledger.webhooks.lease", "3s");
        properties.put("payledger.webhooks.poll-interval", "100ms");
        List<String> arguments = new ArrayList<>();
        properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return arguments.toArray(String[]::new);
    }
}
