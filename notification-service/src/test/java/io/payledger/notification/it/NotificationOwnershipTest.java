package io.payledger.notification.it;

import static io.payledger.notification.it.NotificationTestSupport.CLIENT_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.events.PaymentInitiated;
import io.payledger.events.TransactionPosted;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.HttpApi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A payment's notifications belong to the client that submitted it ({@code initiatedBy}), with real
 * tokens from the shared issuer: that client and operators read them; anyone else, and anyone but an
 * operator for a payment whose client is unknown, gets the 404 of a payment that does not exist.
 */
@NotificationIntegrationTest
class NotificationOwnershipTest extends ThreeClientsApiTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final SerdeSettings SERDE = SerdeSettings.singleObjectEncoding();

    @Test
    void aPaymentsNotificationsAreItsClientsAndOperatorsOnly() {
        // Given a payment client A submitted, accepted and posted
        String paymentId = UUID.randomUUID().toString();
        send(initiated(paymentId, CLIENT_A));
        kafka.send(Topics.LEDGER_TRANSACTIONS.name(), "ivy",
                Topics.LEDGER_TRANSACTIONS.valueSerde(SERDE).serializer().serialize("t", posted(paymentId)));

        // Then client A reads all its notifications: the payer's two and the payee's one
        String path = "/v1/notifications?paymentId=" + paymentId;
        await().atMost(TIMEOUT).until(() -> clientA.get(path).status() == 200 && clientA.get(path).json().size() == 3);
        // (they come from different topics, so in any order)
        List<String> kinds = new ArrayList<>();
        clientA.get(path).json().forEach(notification -> kinds.add(notification.get("kind").asString()));
        assertThat(kinds).containsExactlyInAnyOrder("PAYMENT_ACCEPTED", "PAYMENT_POSTED", "PAYMENT_RECEIVED");

        // And the operator reads them too
        assertThat(operator.get(path).json().size()).isEqualTo(3);

        // And client B gets the 404 of a payment that does not exist, and none of A's notifications
        HttpApi.Response refused = clientB.get(path);
        assertSameNotFound(refused, clientB.get("/v1/notifications?paymentId=" + UUID.randomUUID()));
        assertThat(refused.body()).doesNotContain("PAYMENT_", "ivy");
    }

    @Test
    void aPaymentWithoutAKnownClientIsOnlyForOperators() {
        // Given a payment accepted before payments had owners: no initiatedBy
        String paymentId = UUID.randomUUID().toString();
        send(initiated(paymentId, null));

        // Then the operator reads its notification
        String path = "/v1/notifications?paymentId=" + paymentId;
        await().atMost(TIMEOUT).until(() -> operator.get(path).json().size() == 1);

        // And no client does, though it is recorded
        assertThat(clientA.get(path).status()).isEqualTo(404);
        assertThat(clientB.get(path).status()).isEqualTo(404);
    }

    private static void assertSameNotFound(HttpApi.Response refused, HttpApi.Response missing) {
        assertThat(missing.status()).isEqualTo(404);
        assertThat(refused.status()).as(refused.body()).isEqualTo(404);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("type").asString()).isEqualTo("urn:payledger:problem:payment-not-found");
        assertThat(refused.json().get("type")).isEqualTo(missing.json().get("type"));
        assertThat(refused.json().get("title")).isEqualTo(missing.json().get("title"));
    }

    private void send(PaymentInitiated initiated) {
        kafka.send(Topics.PAYMENTS_INITIATED.name(), initiated.getSourceAccountId(),
                Topics.PAYMENTS_INITIATED.valueSerde(SERDE).serializer().serialize("t", initiated));
    }

    private static PaymentInitiated initiated(String paymentId, String initiatedBy) {
        return PaymentInitiated.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setPaymentId(paymentId).setSourceAccountId("ivy").setDestinationAccountId("jay").setAmountMinor(2500)
                .setCurrency("USD").setReference(null).setInitiatedBy(initiatedBy).build();
    }

    private static TransactionPosted posted(String paymentId) {
        return TransactionPosted.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setTransactionId(paymentId).setPaymentId(paymentId).setSourceAccountId("ivy")
                .setDestinationAccountId("jay").setAmountMinor(2500).setCurrency("USD").setPostings(List.of()).build();
    }
}
