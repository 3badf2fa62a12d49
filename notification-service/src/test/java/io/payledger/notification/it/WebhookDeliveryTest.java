package io.payledger.notification.it;

import static io.payledger.notification.it.WebhookTestSupport.TIMEOUT;
import static io.payledger.notification.it.WebhookTestSupport.pay;
import static io.payledger.notification.it.WebhookTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.notification.domain.WebhookSignature;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A healthy receiver gets every notification of its accounts and types exactly once, in order per account,
 * signed with its subscription's secret; while one receiver hangs, the others get all of theirs.
 */
@NotificationIntegrationTest
class WebhookDeliveryTest {

    @LocalServerPort
    int port;

    private final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());
    private final List<WebhookReceiver> receivers = new ArrayList<>();
    private final List<String> subscriptions = new ArrayList<>();
    private HttpApi operator;

    @BeforeEach
    void client() {
        operator = NotificationTestSupport.api(port, NotificationTestSupport.OPERATOR);
    }

    @AfterEach
    void stop() {
        subscriptions.forEach(id -> WebhookTestSupport.delete(port, NotificationTestSupport.OPERATOR,
                "/v1/webhooks/" + id));
        receivers.forEach(WebhookReceiver::close);
    }

    @Test
    void aHealthyReceiverGetsEachNotificationOnceInOrderPerAccountSigned() throws Exception {
        // Given a receiver subscribed to payment.accepted of three accounts, and one to payment.posted only
        List<String> accounts = List.of(unique("wa"), unique("wb"), unique("wc"));
        WebhookReceiver receiver = receiver(WebhookReceiver.Mode.OK);
        JsonNode subscription = subscribe(receiver, List.of("payment.accepted"), accounts);
        String secret = subscription.get("secret").asString();
        WebhookReceiver otherType = receiver(WebhookReceiver.Mode.OK);
        subscribe(otherType, List.of("payment.posted"), accounts);

        // When eight payments leave each account, interleaved
        Map<String, List<String>> sent = new LinkedHashMap<>();
        accounts.forEach(account -> sent.put(account, new ArrayList<>()));
        for (int i = 0; i < 8; i++) {
            for (String account : accounts) {
                sent.get(account).add(pay(kafka, account));
            }
        }

        // Then all 24 deliveries are DELIVERED and none is left pending
        String id = subscription.get("id").asString();
        await().atMost(TIMEOUT).until(() -> operator.get("/v1/webhooks/" + id + "/deliveries?status=DELIVERED&limit=100")
                .json().size() == 24);
        assertThat(operator.get("/v1/webhooks/" + id).json().get("pending").asLong()).isZero();

        // And the receiver got each exactly once: 24 requests, 24 distinct delivery IDs, the delivered ones
        List<WebhookReceiver.Received> received = receiver.received();
        assertThat(received).hasSize(24);
        Set<String> deliveredIds = new HashSet<>();
        operator.get("/v1/webhooks/" + id + "/deliveries?status=DELIVERED&limit=100").json()
                .forEach(delivery -> deliveredIds.add(delivery.get("deliveryId").asString()));
        assertThat(received).extracting(WebhookReceiver.Received::deliveryId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(deliveredIds);

        // And in the order each account's payments were made
        for (String account : accounts) {
            List<String> arrived = received.stream()
                    .filter(r -> r.json().get("data").get("accountId").asString().equals(account))
                    .map(WebhookReceiver.Received::paymentId).toList();
            assertThat(arrived).as("deliveries about %s", account).containsExactlyElementsOf(sent.get(account));
        }

        // And each is the notification's payload, signed with the subscription's secret
        for (WebhookReceiver.Received r : received) {
            assertThat(WebhookSignature.verify(secret, r.timestamp(), r.signature(), r.body(), Instant.now(),
                    WebhookSignature.DEFAULT_TOLERANCE)).as("signature of %s", r.deliveryId()).isTrue();
            assertThat(r.json().get("type").asString()).isEqualTo("payment.accepted");
            assertThat(r.json().get("data").get("kind").asString()).isEqualTo("PAYMENT_ACCEPTED");
            assertThat(r.json().get("data").get("message").asString()).contains("10.00 USD");
        }

        // And the subscription to another type got none of them
        assertThat(otherType.received()).isEmpty();
    }

    @Test
    void aHangingReceiverDoesNotHoldUpTheOthers() throws Exception {
        // Given three subscriptions to the same two accounts: one receiver that hangs, two healthy ones
        List<String> accounts = List.of(unique("wh"), unique("wi"));
        WebhookReceiver hanging = receiver(WebhookReceiver.Mode.HANG);
        WebhookReceiver first = receiver(WebhookReceiver.Mode.OK);
        WebhookReceiver second = receiver(WebhookReceiver.Mode.OK);
        for (WebhookReceiver receiver : List.of(hanging, first, second)) {
            subscribe(receiver, List.of("payment.accepted"), accounts);
        }

        // When six payments leave the two accounts
        List<String> payments = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (String account : accounts) {
                payments.add(pay(kafka, account));
            }
        }

        // Then both healthy receivers get all six
        await().atMost(TIMEOUT).until(() -> first.received().size() >= 6 && second.received().size() >= 6);
        for (WebhookReceiver healthy : List.of(first, second)) {
            assertThat(healthy.received()).extracting(WebhookReceiver.Received::paymentId)
                    .containsExactlyInAnyOrderElementsOf(payments);
        }

        // While the hanging receiver has been called and has answered nothing: it is still blocked
        assertThat(hanging.received()).isNotEmpty();
        assertThat(hanging.answered()).isZero();
        assertThat(hanging.released()).isFalse();
    }

    private WebhookReceiver receiver(WebhookReceiver.Mode mode) throws Exception {
        WebhookReceiver receiver = new WebhookReceiver(mode);
        receivers.add(receiver);
        return receiver;
    }

    private JsonNode subscribe(WebhookReceiver receiver, List<String> types, List<String> accounts) {
        JsonNode subscription = WebhookTestSupport.subscribe(operator, receiver.url(), types, accounts);
        subscriptions.add(subscription.get("id").asString());
        return subscription;
    }

}
