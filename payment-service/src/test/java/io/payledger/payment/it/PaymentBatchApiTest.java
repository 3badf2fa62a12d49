package io.payledger.payment.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.events.PaymentInitiated;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.SharedIssuer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** POST /v1/payments/batch: each payment judged as a single POST would judge it, in one request. */
class PaymentBatchApiTest extends PaymentServiceTestBase {

    private static Map<String, Object> payment(String key, String from, String to, String amount, String currency) {
        Map<String, Object> payment = new HashMap<>();
        payment.put("idempotencyKey", key);
        payment.put("sourceAccountId", from);
        payment.put("destinationAccountId", to);
        payment.put("amount", amount);
        payment.put("currency", currency);
        return payment;
    }

    private static HttpApi.Response batch(HttpApi client, List<?> payments) {
        return client.post("/v1/payments/batch", HttpApi.toJson(Map.of("payments", payments)));
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    @Test
    void eachPaymentGetsTheAnswerASinglePostWouldGiveItInOrderAndOnlyTheAcceptedAreRecorded() {
        // Given a batch mixing good payments with every kind of refusal, and a key given twice
        String good = key();
        String repeated = key();
        String reused = key();
        List<Map<String, Object>> payments = List.of(
                payment(good, alice, bob, "1.00", "USD"),
                payment(key(), alice, "nobody-" + UUID.randomUUID(), "1.00", "USD"),
                payment(key(), alice, bob, "1.001", "USD"),
                payment(null, alice, bob, "1.00", "USD"),
                payment(key(), alice, alice, "1.00", "USD"),
                payment(key(), bob, alice, "1.00", "USD"),
                payment(repeated, alice, bob, "2.00", "USD"),
                payment(repeated, alice, bob, "2.00", "USD"),
                payment(reused, alice, bob, "3.00", "USD"),
                payment(reused, alice, bob, "4.00", "USD"));

        // When it is submitted
        HttpApi.Response response = batch(api, payments);

        // Then every payment has its own result, in order
        assertThat(response.status()).isEqualTo(200);
        JsonNode results = response.json().get("results");
        assertThat(statuses(results)).containsExactly(202, 422, 400, 400, 400, 422, 202, 202, 202, 422);
        assertThat(problemType(results.get(1))).endsWith(":unknown-account");
        assertThat(problemType(results.get(2))).endsWith(":invalid-amount");
        assertThat(problemType(results.get(3))).endsWith(":missing-idempotency-key");
        assertThat(results.get(3).get("problem").get("detail").asText()).startsWith("idempotencyKey is required");
        assertThat(problemType(results.get(4))).endsWith(":same-account");
        // bob's account is client B's: refused exactly as one that does not exist
        assertThat(results.get(5).get("problem").get("detail").asText())
                .startsWith("no account " + bob + " you may pay from");
        assertThat(problemType(results.get(9))).endsWith(":idempotency-key-reused");
        assertThat(response.json().get("accepted").asInt()).isEqualTo(4);
        assertThat(response.json().get("refused").asInt()).isEqualTo(6);

        // And the repeated key is one payment, replayed the second time
        assertThat(results.get(6).get("idempotentReplayed").asBoolean()).isFalse();
        assertThat(results.get(7).get("idempotentReplayed").asBoolean()).isTrue();
        assertThat(paymentId(results.get(7))).isEqualTo(paymentId(results.get(6)));

        // And exactly three payments were recorded and published, once each, in the batch's order
        assertThat(paymentsFrom(alice)).isEqualTo(3);
        assertThat(paymentsFrom(bob)).isZero();
        String last = paymentId(results.get(8));
        assertThat(initiatedFrom(alice, last)).extracting(PaymentInitiated::getPaymentId)
                .containsExactly(paymentId(results.get(0)), paymentId(results.get(6)), last);
        assertThat(api.get("/v1/payments/" + paymentId(results.get(0))).json().get("amountMinor").asLong())
                .isEqualTo(100);
    }

    @Test
    void aBatchAndSinglePostsShareTheClientsKeysSoResubmittingEitherReplays() {
        // Given a payment made alone and a batch that was accepted
        String single = key();
        String paidAlone = pay(single, alice, bob, "5.00", "USD").json().get("paymentId").asText();
        String inBatch = key();
        List<Map<String, Object>> payments = List.of(payment(single, alice, bob, "5.00", "USD"),
                payment(inBatch, alice, bob, "6.00", "USD"));
        JsonNode first = batch(api, payments).json().get("results");

        // When the batch is sent again, and its second payment alone
        JsonNode again = batch(api, payments).json().get("results");
        HttpApi.Response alone = pay(inBatch, alice, bob, "6.00", "USD");

        // Then all of them are the same two payments, replayed, and nothing more was recorded
        assertThat(paymentId(first.get(0))).isEqualTo(paymentId(again.get(0))).isEqualTo(paidAlone);
        assertThat(first.get(0).get("idempotentReplayed").asBoolean()).isTrue();
        assertThat(paymentId(again.get(1))).isEqualTo(paymentId(first.get(1)));
        assertThat(again.get(1).get("idempotentReplayed").asBoolean()).isTrue();
        assertThat(alone.json().get("paymentId").asText()).isEqualTo(paymentId(first.get(1)));
        assertThat(alone.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(paymentsFrom(alice)).isEqualTo(2);
    }

    @Test
    void aBatchWithNoPaymentsTooManyOrANullOneIsRefusedWholeAndRecordsNothing() {
        // Given batches that are wrong as a whole
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(payment(key(), alice, bob, "0.01", "USD"));
        }
        List<Map<String, Object>> withNull = new ArrayList<>(List.of(payment(key(), alice, bob, "0.01", "USD")));
        withNull.add(null);

        // When they are submitted, then each is a 400 validation-failed
        for (HttpApi.Response response : List.of(batch(api, List.of()), batch(api, tooMany), batch(api, withNull),
                api.post("/v1/payments/batch", "{}"))) {
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().get("type").asText()).endsWith(":validation-failed");
        }
        // And nothing was recorded
        assertThat(paymentsFrom(alice)).isZero();
    }

    @Test
    void everyPaymentOfABatchCountsAgainstTheClientsRateLimit() {
        // Given the limited client (5 at once, 1 a second) and an account of its own
        HttpApi limited = as(SharedIssuer.LIMITED);
        String own = "limited-" + UUID.randomUUID().toString().substring(0, 8);
        LEDGER.open(own, "USD", SharedIssuer.LIMITED);
        List<Map<String, Object>> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(payment(key(), own, bob, "0.01", "USD"));
        }

        // When it sends six payments in one batch
        HttpApi.Response refused = batch(limited, six);

        // Then the batch is refused whole with 429 and nothing is recorded
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("type").asText()).endsWith(":too-many-requests");
        assertThat(refused.header("Retry-After")).isNotBlank();
        assertThat(paymentsFrom(own)).isZero();

        // And a batch its bucket still holds (the refused request took one) is accepted
        HttpApi.Response accepted = batch(limited, six.subList(0, 3));
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(statuses(accepted.json().get("results"))).containsExactly(202, 202, 202);
        assertThat(paymentsFrom(own)).isEqualTo(3);
    }

    private static List<Integer> statuses(JsonNode results) {
        List<Integer> statuses = new ArrayList<>();
        results.forEach(result -> statuses.add(result.get("status").asInt()));
        return statuses;
    }

    private static String problemType(JsonNode result) {
        return result.get("problem").get("type").asText();
    }

    private static String paymentId(JsonNode result) {
        return result.get("payment").get("paymentId").asText();
    }
}
