package io.payledger.notification.it;

import static io.payledger.notification.it.WebhookTestSupport.TIMEOUT;
import static io.payledger.notification.it.WebhookTestSupport.pay;
import static io.payledger.notification.it.WebhookTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.notification.delivery.WebhookEndpoints;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Each endpoint's circuit breaker: opened by a failing receiver, it stops calling; it half-opens after its open
 * duration, and a successful trial call closes it, after which the waiting deliveries arrive, in order. A
 * delivery that fails every attempt is DEAD, listed, and delivered when redriven.
 */
@NotificationIntegrationTest
class WebhookCircuitBreakerTest {

    @LocalServerPort
    int port;

    @Autowired
    WebhookEndpoints endpoints;

    @Autowired
    MeterRegistry meters;

    private final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());
    private final List<String> subscriptions = new ArrayList<>();
    private WebhookReceiver receiver;

    @AfterEach
    void stop() {
        subscriptions.forEach(id -> WebhookTestSupport.delete(port, NotificationTestSupport.OPERATOR,
                "/v1/webhooks/" + id));
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void theBreakerOpensStopsCallingHalfOpensAndClosesWhenTheReceiverRecovers() throws Exception {
        // Given a receiver answering 500, subscribed to one account
        HttpApi operator = NotificationTestSupport.api(port, NotificationTestSupport.OPERATOR);
        receiver = new WebhookReceiver(WebhookReceiver.Mode.FAIL);
        String account = unique("wbrk");
        String id = subscribe(operator, account);

        // And a log, in the order things happen, of the receiver's calls and the breaker's transitions; the
        // receiver recovers the moment the breaker opens, and what the metrics said at each transition
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        List<Double> openGauge = Collections.synchronizedList(new ArrayList<>());
        receiver.onRequest(request -> log.add("call " + request.mode()));
        CircuitBreaker breaker = endpoints.breaker(java.util.UUID.fromString(id));
        breaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.State to = event.getStateTransition().getToState();
            log.add("state " + to);
            if (to == CircuitBreaker.State.OPEN) {
                openGauge.add(breakerState(id, "open"));
                receiver.mode(WebhookReceiver.Mode.OK);
            }
        });

        // When three payments leave the account
        List<String> payments = List.of(pay(kafka, account), pay(kafka, account), pay(kafka, account));

        // Then all three arrive, in order, and the breaker is closed again, as the subscription and metrics say
        await().atMost(TIMEOUT).until(() -> receiver.received(WebhookReceiver.Mode.OK).size() >= 3);
        assertThat(receiver.received(WebhookReceiver.Mode.OK)).extracting(WebhookReceiver.Received::paymentId)
                .containsExactlyElementsOf(payments);
        await().atMost(TIMEOUT).until(() -> operator.get("/v1/webhooks/" + id).json().get("pending").asLong() == 0);
        JsonNode view = operator.get("/v1/webhooks/" + id).json();
        assertThat(view.get("circuitBreaker").asString()).isEqualTo("CLOSED");
        assertThat(view.get("dead").asLong()).isZero();
        assertThat(breakerState(id, "closed")).isEqualTo(1.0);

        // And the breaker opened after the window's three failed calls, with the metric saying so
        List<String> events = List.copyOf(log);
        assertThat(events).containsSubsequence("call FAIL", "call FAIL", "call FAIL", "state OPEN",
                "state HALF_OPEN", "call OK", "state CLOSED");
        assertThat(openGauge).containsExactly(1.0);
        // And nothing called the receiver while it was open
        int opened = events.indexOf("state OPEN");
        int halfOpened = events.indexOf("state HALF_OPEN");
        assertThat(events.subList(opened, halfOpened)).noneMatch(event -> event.startsWith("call"));
        assertThat(events.subList(0, opened)).containsOnly("call FAIL");

        // And the first delivery took four calls (three failures, the trial), the refusals while open burning none
        JsonNode delivered = operator.get("/v1/webhooks/" + id + "/deliveries?status=DELIVERED").json();
        assertThat(delivered).hasSize(3);
        assertThat(delivered.get(0).get("attempts").asInt()).isEqualTo(4);
        assertThat(delivered.get(1).get("attempts").asInt()).isEqualTo(1);

        // And once the subscription is deleted, its breaker's metrics are gone with it
        assertThat(WebhookTestSupport.delete(port, NotificationTestSupport.OPERATOR, "/v1/webhooks/" + id))
                .isEqualTo(204);
        assertThat(breakerState(id, "closed")).isNaN();
    }

    @Test
    void aDeliveryFailingEveryAttemptIsDeadListedAndDeliveredWhenRedriven() throws Exception {
        // Given a receiver that always answers 500, subscribed to one account
        HttpApi operator = NotificationTestSupport.api(port, NotificationTestSupport.OPERATOR);
        receiver = new WebhookReceiver(WebhookReceiver.Mode.FAIL);
        String account = unique("wdead");
        String id = subscribe(operator, account);

        // When a payment leaves the account
        String payment = pay(kafka, account);

        // Then after its fourth (last) attempt the delivery is DEAD, listed with why
        String dead = "/v1/webhooks/" + id + "/deliveries?status=DEAD";
        await().atMost(TIMEOUT).until(() -> operator.get(dead).json().size() == 1);
        JsonNode delivery = operator.get(dead).json().get(0);
        assertThat(delivery.get("attempts").asInt()).isEqualTo(4);
        assertThat(delivery.get("lastError").asString()).isEqualTo("HTTP 500");
        assertThat(delivery.get("deadAt").isNull()).isFalse();
        assertThat(receiver.received()).hasSize(4).extracting(WebhookReceiver.Received::paymentId).containsOnly(payment);
        assertThat(operator.get("/v1/webhooks/" + id).json().get("dead").asLong()).isEqualTo(1);
        assertThat(deliveryCount("dead")).isPositive();

        // When the receiver recovers and the delivery is redriven
        receiver.mode(WebhookReceiver.Mode.OK);
        String deliveryId = delivery.get("deliveryId").asString();
        HttpApi.Response redriven = operator.post("/v1/webhooks/" + id + "/deliveries/" + deliveryId + "/redrive", "");
        assertThat(redriven.status()).as(redriven.body()).isEqualTo(200);
        assertThat(redriven.json().get("status").asString()).isEqualTo("PENDING");
        assertThat(redriven.json().get("attempts").asInt()).isZero();

        // Then it is delivered, the same delivery, and no longer dead
        await().atMost(TIMEOUT).until(() -> operator.get("/v1/webhooks/" + id + "/deliveries?status=DELIVERED")
                .json().size() == 1);
        assertThat(receiver.received(WebhookReceiver.Mode.OK)).extracting(WebhookReceiver.Received::deliveryId)
                .containsExactly(deliveryId);
        assertThat(operator.get(dead).json()).isEmpty();

        // And a delivery that is not dead is not redriven; redriving all finds none
        HttpApi.Response again = operator.post("/v1/webhooks/" + id + "/deliveries/" + deliveryId + "/redrive", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(operator.post("/v1/webhooks/" + id + "/redrive", "").json().get("redriven").asInt()).isZero();
    }

    private String subscribe(HttpApi operator, String account) {
        String id = WebhookTestSupport.subscribe(operator, receiver.url(), List.of(account)).get("id").asString();
        subscriptions.add(id);
        return id;
    }

    private double breakerState(String subscriptionId, String state) {
        Gauge gauge = meters.find("resilience4j.circuitbreaker.state").tags("name", subscriptionId, "state", state)
                .gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    private double deliveryCount(String outcome) {
        return meters.get("payledger.webhook.deliveries").tags(Map.of("outcome", outcome).entrySet().stream()
                .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new))
                .counter().count();
    }
}
