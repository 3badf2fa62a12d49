package io.payledger.notification.it;

import static org.awaitility.Awaitility.await;

import io.payledger.events.PaymentInitiated;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Subscribing, deleting and producing the events that become notifications, for the webhook tests. */
final class WebhookTestSupport {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final SerdeSettings SERDE = SerdeSettings.singleObjectEncoding();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private WebhookTestSupport() {
    }

    static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Subscribes {@code url} to payment.accepted of {@code accounts}; the 201's body. */
    static JsonNode subscribe(HttpApi api, String url, List<String> accounts) {
        return subscribe(api, url, List.of("payment.accepted"), accounts);
    }

    static JsonNode subscribe(HttpApi api, String url, List<String> eventTypes, List<String> accounts) {
        HttpApi.Response created = api.post("/v1/webhooks",
                HttpApi.toJson(Map.of("url", url, "eventTypes", eventTypes, "accounts", accounts)));
        if (created.status() != 201) {
            throw new AssertionError("subscribing failed: " + created.status() + " " + created.body());
        }
        return created.json();
    }

    /** DELETE, which HttpApi does not send; the status. */
    static int delete(int port, String clientId, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).DELETE()
                .header("Authorization", "Bearer " + SharedIssuer.token(clientId))
                .timeout(Duration.ofSeconds(30)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A payment from {@code account}: its acceptance is a payment.accepted notification to that account. */
    static String pay(KafkaTestClient kafka, String account) {
        String paymentId = UUID.randomUUID().toString();
        PaymentInitiated initiated = PaymentInitiated.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setPaymentId(paymentId).setSourceAccountId(account)
                .setDestinationAccountId("payee").setAmountMinor(1000).setCurrency("USD").setReference(null)
                .setInitiatedBy(SharedIssuer.OPERATOR).build();
        kafka.send(Topics.PAYMENTS_INITIATED.name(), account,
                Topics.PAYMENTS_INITIATED.valueSerde(SERDE).serializer().serialize("t", initiated));
        return paymentId;
    }

    /** The ledger opens {@code account} for {@code owner}; returns once notification-service can subscribe it. */
    static void openAccount(KafkaTestClient kafka, String account, String owner) {
        NotificationTestSupport.publishAccountState(kafka, account, account, owner);
        await().atMost(TIMEOUT).until(() -> NotificationTestSupport.copied(account));
    }
}
