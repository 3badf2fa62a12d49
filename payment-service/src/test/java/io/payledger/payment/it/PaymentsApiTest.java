package io.payledger.payment.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.events.PaymentInitiated;
import io.payledger.schemas.topic.TraceHeaders;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

class PaymentsApiTest extends PaymentServiceTestBase {

    @Test
    void acceptsAPaymentAndPublishesPaymentInitiatedKeyedBySourceAccount() {
        // When
        HttpApi.Response response = pay(UUID.randomUUID().toString(), alice, bob, "12.34", "USD");

        // Then the producer gets a pending payment
        assertThat(response.status()).isEqualTo(202);
        JsonNode payment = response.json();
        String paymentId = payment.get("paymentId").asText();
        assertThat(payment.get("status").asText()).isEqualTo("PENDING");
        assertThat(payment.get("amountMinor").asLong()).isEqualTo(1234);
        assertThat(payment.get("amount").asText()).isEqualTo("12.34");
        assertThat(api.get("/v1/payments/" + paymentId).json().get("status").asText()).isEqualTo("PENDING");

        // And exactly the accepted payment is on payments.initiated, keyed by source account, traced
        ConsumerRecord<byte[], byte[]> record = initiatedRecords(paymentId, 1).get(0);
        PaymentInitiated event = INITIATED.deserialize(record.topic(), record.value());
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(alice);
        assertThat(event.getAmountMinor()).isEqualTo(1234);
        assertThat(event.getCurrency()).isEqualTo("USD");
        assertThat(KafkaTestClient.header(record, TraceHeaders.PAYMENT_ID)).contains(paymentId);
        assertThat(KafkaTestClient.header(record, TraceHeaders.TRACE_ID)).contains(response.header("X-Trace-Id"));
    }

    @Test
    void theSameKeyAndBodyReturnsTheSamePaymentAndPublishesOnce() {
        String key = UUID.randomUUID().toString();

        HttpApi.Response first = pay(key, alice, bob, "5.00", "USD");
        HttpApi.Response second = pay(key, alice, bob, "5.00", "USD");

        assertThat(second.status()).isEqualTo(202);
        String paymentId = first.json().get("paymentId").asText();
        assertThat(second.json().get("paymentId").asText()).isEqualTo(paymentId);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(paymentsWithKey(key)).isEqualTo(1);
        // Give a second event every chance to appear behind the first before counting.
        String later = pay(UUID.randomUUID().toString(), alice, bob, "0.01", "USD").json().get("paymentId").asText();
        initiatedRecords(later, 1);
        assertThat(initiatedRecords(paymentId, 1)).hasSize(1);
    }

    @Test
    void theSameKeyWithADifferentBodyIs422() {
        String key = UUID.randomUUID().toString();
        pay(key, alice, bob, "5.00", "USD");

        HttpApi.Response reused = pay(key, alice, bob, "6.00", "USD");

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.json().get("type").asText()).isEqualTo("urn:payledger:problem:idempotency-key-reused");
        assertThat(paymentsWithKey(key)).isEqualTo(1);
    }

    @Test
    void theSameKeyWhileTheFirstRequestIsInFlightIs409() throws Exception {
        // Given another request holds the key (its transaction has not finished)
        String key = UUID.randomUUID().toString();
        try (Connection inFlight = DriverManager.getConnection(SharedInfrastructure.postgres().jdbcUrl(),
                SharedInfrastructure.postgres().username(), SharedInfrastructure.postgres().password())) {
            inFlight.setAutoCommit(false);
            try (PreparedStatement lock = inFlight.prepareStatement(
                    "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, key);
                lock.execute();
            }

            // When
            HttpApi.Response response = pay(key, alice, bob, "5.00", "USD");

            // Then
            assertThat(response.status()).isEqualTo(409);
            assertThat(response.json().get("type").asText()).isEqualTo("urn:payledger:problem:request-in-flight");
            inFlight.rollback();
        }
        assertThat(paymentsWithKey(key)).isZero();
        assertThat(pay(key, alice, bob, "5.00", "USD").status()).isEqualTo(202);
    }

    @Test
    void aMissingIdempotencyKeyIs400() {
        HttpApi.Response response = pay(null, alice, bob, "5.00", "USD");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("type").asText()).isEqualTo("urn:payledger:problem:missing-idempotency-key");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing amount        | {\"sourceAccountId\":\"A\",\"destinationAccountId\":\"B\",\"currency\":\"USD\"} | 400 | validation-failed",
            "missing source        | {\"destinationAccountId\":\"B\",\"amount\":\"1.00\",\"currency\":\"USD\"}       | 400 | validation-failed",
            "bad JSON              | {\"sourceAccountId\": | 400 | malformed-request",
            "too many decimals     | {\"sourceAccountId\":\"A\",\"destinationAccountId\":\"B\",\"amount\":\"1.001\",\"currency\":\"USD\"} | 400 | invalid-amount",
            "decimals on JPY       | {\"sourceAccountId\":\"A\",\"destinationAccountId\":\"B\",\"amount\":\"1.5\",\"currency\":\"JPY\"}   | 400 | invalid-amount",
            "zero amount           | {\"sourceAccountId\":\"A\",\"destinationAccountId\":\"B\",\"amount\":\"0.00\",\"currency\":\"USD\"}  | 400 | invalid-amount",
            "negative amount       | {\"sourceAccountId\":\"A\",\"destinationAccountId\":\"B\",\"amount\":\"-1.00\",\"currency\":\"USD\"} | 400 | invalid-amount",
            "not a number          | {\"sourceAccountId\":\"A\",\"destinationAccountId\":\"B\",\"amount\":\"ten\",\"currency\":\"USD\"}   | 400 | invalid-amount",
            "unknown currency      | {\"sourceAccountId\":\"A\",\"destinationAccountId\":\"B\",\"amount\":\"1.00\",\"currency\":\"XYZ\"}  | 400 | invalid-currency",
            "same account          | {\"sourceAccountId\":\"A\",\"destinationAccountId\":\"A\",\"amount\":\"1.00\",\"currency\":\"USD\"}  | 400 | same-account",
            "bad account id        | {\"sourceAccountId\":\"a b\",\"destinationAccountId\":\"B\",\"amount\":\"1.00\",\"currency\":\"USD\"} | 400 | invalid-account",
            "unknown account       | {\"sourceAccountId\":\"A\",\"destinationAccountId\":\"nobody\",\"amount\":\"1.00\",\"currency\":\"USD\"} | 422 | unknown-account",
            "currency mismatch     | {\"sourceAccountId\":\"A\",\"destinationAccountId\":\"B\",\"amount\":\"1.00\",\"currency\":\"EUR\"}  | 422 | currency-mismatch"})
    void invalidInputIsAProblemAndCreatesNothing(String name, String bodyTemplate, int status, String type) {
        String key = UUID.randomUUID().toString();
        String body = bodyTemplate.replace("\"A\"", "\"" + alice + "\"").replace("\"B\"", "\"" + bob + "\"");

        HttpApi.Response response = api.post("/v1/payments", body, Map.of("Idempotency-Key", key));

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("urn:payledger:problem:" + type);
        assertThat(response.json().get("detail").asText()).isNotBlank();
        assertThat(paymentsWithKey(key)).isZero();
    }

    @Test
    void whenTheLedgerCannotBeAskedThePaymentIsRefusedAsRetryable() {
        LEDGER.down(true);
        String key = UUID.randomUUID().toString();

        HttpApi.Response response = pay(key, alice + "-new", bob, "1.00", "USD");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isNotNull();
        assertThat(paymentsWithKey(key)).isZero();
    }

    @Test
    void anUnknownPaymentIs404() {
        assertThat(api.get("/v1/payments/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(api.get("/v1/payments/not-a-uuid").status()).isEqualTo(404);
    }

    static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
