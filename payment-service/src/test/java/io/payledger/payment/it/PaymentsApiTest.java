package io.payledger.payment.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.events.PaymentInitiated;
import io.payledger.payment.domain.PaymentIntake;
import io.payledger.payment.persistence.JdbiPaymentStore;
import io.payledger.schemas.topic.TraceHeaders;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
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
        assertThat(event.getInitiatedBy()).isEqualTo(CLIENT_A);
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
        // Given another request of the same client holds the key (its transaction has not finished)
        String key = UUID.randomUUID().toString();
        try (Connection inFlight = holdKey(CLIENT_A, key)) {
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
    void anotherClientsRequestInFlightWithTheSameKeyHoldsNothingUp() throws Exception {
        // Given client B's request holds a key
        String key = UUID.randomUUID().toString();
        try (Connection inFlight = holdKey(CLIENT_B, key)) {
            // When client A uses the same key
            HttpApi.Response response = pay(key, alice, bob, "5.00", "USD");

            // Then A's payment goes through
            assertThat(response.status()).as(response.body()).isEqualTo(202);
            inFlight.rollback();
        }
    }

    /** A connection holding, in an open transaction, the lock a request holds on the client's key while in flight. */
    private static Connection holdKey(String clientId, String key) throws java.sql.SQLException {
        Connection inFlight = DriverManager.getConnection(SharedInfrastructure.postgres().jdbcUrl(),
                SharedInfrastructure.postgres().username(), SharedInfrastructure.postgres().password());
        inFlight.setAutoCommit(false);
        try (PreparedStatement lock = inFlight.prepareStatement("SELECT pg_advisory_xact_lock("
                + JdbiPaymentStore.KEY_LOCK_ID.replace(":client", "?").replace(":key", "?") + ")")) {
            lock.setString(1, clientId);
            lock.setString(2, clientId);
            lock.setString(3, key);
            lock.execute();
        }
        return inFlight;
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsafeInput")
    void inputTheDatabaseCouldNotStoreOrThatIsCostlyToParseIsA400AndCreatesNothing(
            String name, String key, Map<String, String> fields, String type) {
        // Given an otherwise valid payment with one field the database could not store or that is costly to parse
        Map<String, String> body = new HashMap<>(Map.of("sourceAccountId", alice, "destinationAccountId", bob,
                "amount", "1.00", "currency", "USD", "reference", "lunch"));
        body.putAll(fields);

        // When
        HttpApi.Response response = api.post("/v1/payments", HttpApi.toJson(body),
                Map.of("Idempotency-Key", key == null ? UUID.randomUUID().toString() : key));

        // Then it is refused as the producer's to fix, says why in a few words, and records nothing
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("urn:payledger:problem:" + type);
        assertThat(response.json().get("detail").asText()).isNotBlank().hasSizeLessThan(500);
        assertThat(paymentsFrom(alice)).isZero();
    }

    static Stream<Arguments> unsafeInput() {
        return Stream.of(
                Arguments.of("NUL in reference", null, Map.of("reference", "lunch\u0000"), "invalid-reference"),
                Arguments.of("line break in reference", null, Map.of("reference", "lunch\nbreak"), "invalid-reference"),
                Arguments.of("reference of 141 characters", null, Map.of("reference", "r".repeat(141)),
                        "invalid-reference"),
                Arguments.of("key of 201 characters", "k".repeat(201), Map.of(), "invalid-idempotency-key"),
                Arguments.of("key of 5,000 characters", "k".repeat(5_000), Map.of(), "invalid-idempotency-key"),
                Arguments.of("tab in key", "key\t" + UUID.randomUUID(), Map.of(), "invalid-idempotency-key"),
                Arguments.of("amount of 41 characters", null, Map.of("amount", "0".repeat(37) + "1.00"),
                        "invalid-amount"),
                // As long as the body limit (64 KB) lets through: refused for its length, never parsed.
                Arguments.of("amount of 60,000 digits", null, Map.of("amount", "9".repeat(60_000)),
                        "invalid-amount"),
                Arguments.of("NUL in account ID", null, Map.of("destinationAccountId", "bob\u0000"), "invalid-account"),
                Arguments.of("account ID of 5,000 characters", null, Map.of("destinationAccountId", "b".repeat(5_000)),
                        "invalid-account"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%00", "key%0Aline", "%20"})
    void lookingUpAPaymentByAKeyNoPaymentCanHaveIsA400(String encodedKey) {
        // When
        HttpApi.Response response = api.get("/v1/payments?idempotencyKey=" + encodedKey);

        // Then
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("urn:payledger:problem:invalid-idempotency-key");
    }

    @Test
    void lookingUpAPaymentByAKeyTooLongForAnyPaymentIsA400() {
        HttpApi.Response response = api.get("/v1/payments?idempotencyKey=" + "k".repeat(201));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("type").asText()).isEqualTo("urn:payledger:problem:invalid-idempotency-key");
    }

    @Test
    void theSameKeyWhileTheFirstRequestIsStillRecordingItsPaymentIs409() throws Exception {
        // Given a first request that has claimed its key and is held up recording its payment (the payments
        // table is locked against writes, as a slow write would hold it)
        String key = UUID.randomUUID().toString();
        CompletableFuture<HttpApi.Response> first;
        HttpApi.Response second;
        try (LedgerAccountsFeed.HeldCopy held = LedgerAccountsFeed.holdPaymentWrites()) {
            first = CompletableFuture.supplyAsync(() -> pay(key, alice, bob, "5.00", "USD"));
            await("the first request records its payment").atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(10)).until(held::someoneWaits);

            // When a second request with the same key arrives meanwhile
            second = pay(key, alice, bob, "5.00", "USD");
        }

        // Then it is told the first is in flight, without checking the accounts itself (it did not wait)
        assertThat(second.status()).as(second.body()).isEqualTo(409);
        assertThat(second.contentType()).startsWith("application/problem+json");
        assertThat(second.json().get("type").asText()).isEqualTo("urn:payledger:problem:request-in-flight");

        // And the first request completes as the one payment with the key, which a retry then finds
        HttpApi.Response firstResponse = first.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(firstResponse.status()).as(firstResponse.body()).isEqualTo(202);
        HttpApi.Response retry = pay(key, alice, bob, "5.00", "USD");
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.json().get("paymentId").asText()).isEqualTo(firstResponse.json().get("paymentId").asText());
        assertThat(paymentsWithKey(key)).isEqualTo(1);
    }

    @Test
    void anAccountTheCopyHasNotSeenIsUnknownUntilTheLedgersEventArrivesAndTheSameKeyThenSucceeds() {
        // Given an account the ledger has opened but whose event has not reached payment-service yet
        String key = UUID.randomUUID().toString();
        String newAccount = alice + "-new";

        // When client A pays out of it
        HttpApi.Response refused = pay(key, newAccount, bob, "1.00", "USD");

        // Then it is refused as an unknown account, saying why it may be unknown for now, and records nothing
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.json().get("type").asText()).isEqualTo("urn:payledger:problem:unknown-account");
        assertThat(refused.json().get("detail").asText())
                .isEqualTo("no account " + newAccount + " you may pay from" + PaymentIntake.NOT_SEEN_YET);
        assertThat(paymentsWithKey(key)).isZero();
        // And the same for a destination the copy has not seen
        HttpApi.Response toUnseen = pay(UUID.randomUUID().toString(), alice, newAccount, "1.00", "USD");
        assertThat(toUnseen.status()).as(toUnseen.body()).isEqualTo(422);
        assertThat(toUnseen.json().get("detail").asText())
                .isEqualTo("account " + newAccount + " does not exist" + PaymentIntake.NOT_SEEN_YET);

        // And once the ledger's event arrives, the retry with the same key is accepted
        LEDGER.open(newAccount, "USD", CLIENT_A);
        assertThat(pay(key, newAccount, bob, "1.00", "USD").status()).isEqualTo(202);
        assertThat(paymentsWithKey(key)).isEqualTo(1);
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
