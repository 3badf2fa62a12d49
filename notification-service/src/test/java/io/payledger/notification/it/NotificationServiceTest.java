package io.payledger.notification.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.events.TransactionPosted;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.DeadLetters;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@NotificationIntegrationTest
class NotificationServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final SerdeSettings SERDE = SerdeSettings.singleObjectEncoding();
    private static final String GROUP = "notification-service";

    @LocalServerPort
    int port;

    private final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());

    @Test
    void notifiesOncePerOutcomeHoweverOftenEventsAreDelivered() {
        // Given a payment accepted and posted, every event delivered twice
        String paymentId = UUID.randomUUID().toString();
        PaymentInitiated initiated = initiated(paymentId);
        TransactionPosted posted = posted(paymentId);
        for (int i = 0; i < 2; i++) {
            kafka.send(Topics.PAYMENTS_INITIATED.name(), "gina",
                    Topics.PAYMENTS_INITIATED.valueSerde(SERDE).serializer().serialize("t", initiated));
            kafka.send(Topics.LEDGER_TRANSACTIONS.name(), "gina",
                    Topics.LEDGER_TRANSACTIONS.valueSerde(SERDE).serializer().serialize("t", posted));
        }

        // Then the payer is told twice in all: accepted, and completed (the two come from different topics,
        // so in either order); and the payee once, that the money arrived
        HttpApi api = NotificationTestSupport.api(port, NotificationTestSupport.OPERATOR);
        await().atMost(TIMEOUT).until(() -> api.get("/v1/notifications?paymentId=" + paymentId).json().size() == 3);
        JsonNode notifications = api.get("/v1/notifications?paymentId=" + paymentId).json();
        List<String> kinds = new java.util.ArrayList<>();
        notifications.forEach(n -> kinds.add(n.get("kind").asText()));
        assertThat(kinds).containsExactlyInAnyOrder("PAYMENT_ACCEPTED", "PAYMENT_POSTED", "PAYMENT_RECEIVED");
        JsonNode completed = notifications.get(kinds.indexOf("PAYMENT_POSTED"));
        assertThat(completed.get("recipientAccountId").asText()).isEqualTo("gina");
        assertThat(completed.get("message").asText()).contains("19.99 USD");
        assertThat(completed.get("deliveredAt").isNull()).isFalse();
        JsonNode received = notifications.get(kinds.indexOf("PAYMENT_RECEIVED"));
        assertThat(received.get("recipientAccountId").asText()).isEqualTo("hal");
        assertThat(received.get("message").asText()).isEqualTo("You received 19.99 USD from gina.");
        assertThat(received.get("deliveredAt").isNull()).isFalse();
    }

    @Test
    void aFraudRejectionIsNotified() {
        // Given a payment rejected by fraud
        String paymentId = UUID.randomUUID().toString();
        kafka.send(Topics.FRAUD_DECISIONS.name(), "gina", Topics.FRAUD_DECISIONS.valueSerde(SERDE).serializer()
                .serialize("t", rejected(paymentId)));

        // Then the customer is told once, that it was rejected
        HttpApi api = NotificationTestSupport.api(port, NotificationTestSupport.OPERATOR);
        await().atMost(TIMEOUT).until(() -> api.get("/v1/notifications?paymentId=" + paymentId).json().size() == 1);
        assertThat(api.get("/v1/notifications?paymentId=" + paymentId).json().get(0).get("kind").asText())
                .isEqualTo("PAYMENT_REJECTED");
    }

    @Test
    void poisonOnEveryConsumedTopicIsDeadLetteredAndNotificationsCarryOn() {
        // Given bytes that decode as nothing, on each topic the service reads, ahead of real events
        String accepted = UUID.randomUUID().toString();
        String rejected = UUID.randomUUID().toString();
        String posted = UUID.randomUUID().toString();
        byte[] initiatedPoison = poison();
        byte[] decisionPoison = poison();
        byte[] outcomePoison = poison();
        kafka.send(Topics.PAYMENTS_INITIATED.name(), "gina", initiatedPoison);
        kafka.send(Topics.PAYMENTS_INITIATED.name(), "gina",
                Topics.PAYMENTS_INITIATED.valueSerde(SERDE).serializer().serialize("t", initiated(accepted)));
        kafka.send(Topics.FRAUD_DECISIONS.name(), "gina", decisionPoison);
        kafka.send(Topics.FRAUD_DECISIONS.name(), "gina",
                Topics.FRAUD_DECISIONS.valueSerde(SERDE).serializer().serialize("t", rejected(rejected)));
        kafka.send(Topics.LEDGER_TRANSACTIONS.name(), "gina", outcomePoison);
        kafka.send(Topics.LEDGER_TRANSACTIONS.name(), "gina",
                Topics.LEDGER_TRANSACTIONS.valueSerde(SERDE).serializer().serialize("t", posted(posted)));

        // Then every real event is notified (a posting to payer and payee)
        HttpApi api = NotificationTestSupport.api(port, NotificationTestSupport.OPERATOR);
        for (String paymentId : List.of(accepted, rejected)) {
            await().atMost(TIMEOUT).until(() -> api.get("/v1/notifications?paymentId=" + paymentId).json().size() == 1);
        }
        await().atMost(TIMEOUT).until(() -> api.get("/v1/notifications?paymentId=" + posted).json().size() == 2);
        // And each poison is a dead letter of its own topic, saying where it came from and why
        DeadLetters.awaitDeadLetter(kafka, Topics.PAYMENTS_INITIATED, initiatedPoison, GROUP, TIMEOUT);
        DeadLetters.awaitDeadLetter(kafka, Topics.FRAUD_DECISIONS, decisionPoison, GROUP, TIMEOUT);
        DeadLetters.awaitDeadLetter(kafka, Topics.LEDGER_TRANSACTIONS, outcomePoison, GROUP, TIMEOUT);
    }

    @Test
    void eventsAboutInvalidPaymentsAreDeadLetteredNotNotifiedAndNotificationsCarryOn() {
        // Given events that decode but whose payment breaks the platform's rules, ahead of real events
        PaymentInitiated nulAccount = PaymentInitiated.newBuilder(initiated(UUID.randomUUID().toString()))
                .setSourceAccountId("gina\u0000").build();
        PaymentInitiated oddCurrency = PaymentInitiated.newBuilder(initiated(UUID.randomUUID().toString()))
                .setCurrency("XXX").build();
        PaymentInitiated notAUuid = initiated("p-1\nforged line");
        TransactionPosted hugeAccount = TransactionPosted.newBuilder(posted(UUID.randomUUID().toString()))
                .setDestinationAccountId("h".repeat(10_000)).build();
        byte[][] initiatedHostile = {serialize(nulAccount), serialize(oddCurrency), serialize(notAUuid)};
        byte[] postedHostile = Topics.LEDGER_TRANSACTIONS.valueSerde(SERDE).serializer().serialize("t", hugeAccount);
        String accepted = UUID.randomUUID().toString();
        String posted = UUID.randomUUID().toString();
        for (byte[] record : initiatedHostile) {
            kafka.send(Topics.PAYMENTS_INITIATED.name(), "gina", record);
        }
        kafka.send(Topics.PAYMENTS_INITIATED.name(), "gina", serialize(initiated(accepted)));
        kafka.send(Topics.LEDGER_TRANSACTIONS.name(), "gina", postedHostile);
        kafka.send(Topics.LEDGER_TRANSACTIONS.name(), "gina",
                Topics.LEDGER_TRANSACTIONS.valueSerde(SERDE).serializer().serialize("t", posted(posted)));

        // Then the real events are notified (a posting to payer and payee), and each hostile one is a dead
        // letter, notified to nobody
        HttpApi api = NotificationTestSupport.api(port, NotificationTestSupport.OPERATOR);
        await().atMost(TIMEOUT).until(() -> api.get("/v1/notifications?paymentId=" + accepted).json().size() == 1);
        await().atMost(TIMEOUT).until(() -> api.get("/v1/notifications?paymentId=" + posted).json().size() == 2);
        for (byte[] record : initiatedHostile) {
            DeadLetters.awaitDeadLetter(kafka, Topics.PAYMENTS_INITIATED, record, GROUP, TIMEOUT);
        }
        DeadLetters.awaitDeadLetter(kafka, Topics.LEDGER_TRANSACTIONS, postedHostile, GROUP, TIMEOUT);
        assertThat(api.get("/v1/notifications?paymentId=" + oddCurrency.getPaymentId()).json().size()).isZero();
    }

    private static byte[] serialize(PaymentInitiated event) {
        return Topics.PAYMENTS_INITIATED.valueSerde(SERDE).serializer().serialize("t", event);
    }

    private static byte[] poison() {
        return ("poison " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    }

    private static FraudDecision rejected(String paymentId) {
        return FraudDecision.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setPaymentId(paymentId).setVerdict(FraudVerdict.REJECTED).setReasons(List.of("AMOUNT_OVER_LIMIT"))
                .setPayment(initiated(paymentId)).build();
    }

    private static TransactionPosted posted(String paymentId) {
        return TransactionPosted.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setTransactionId(paymentId).setPaymentId(paymentId).setSourceAccountId("gina")
                .setDestinationAccountId("hal").setAmountMinor(1999).setCurrency("USD").setPostings(List.of()).build();
    }

    private static PaymentInitiated initiated(String paymentId) {
        return PaymentInitiated.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setPaymentId(paymentId).setSourceAccountId("gina").setDestinationAccountId("hal").setAmountMinor(1999)
                .setCurrency("USD").setReference(null).build();
    }
}
