package io.payledger.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.demo.DemoClients;
import io.payledger.testsupport.HttpApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * The demo as the end-to-end tests use it, through the public APIs with the demo clients' tokens: reads
 * as the operator ({@code ops}: every client's resources), payments as the owner of the source account
 * (the wallet's customers) or, out of a settlement account, as the operator ({@code funding}).
 */
final class DemoSession {

    static final Duration TIMEOUT = Duration.ofSeconds(90);

    final HttpApi payments;
    final HttpApi ledger;
    final HttpApi notifications;
    final HttpApi walletPayments;

    private DemoSession(LocalStack stack) {
        Supplier<String> operator = stack.tokens(DemoClients.OPERATOR, DemoClients.OPERATOR_SECRET);
        payments = new HttpApi(stack.payment().url(), operator);
        ledger = new HttpApi(stack.ledger().url(), operator);
        notifications = new HttpApi(stack.notification().url(), operator);
        walletPayments = new HttpApi(stack.payment().url(), stack.tokens(DemoClients.WALLET, DemoClients.WALLET_SECRET));
    }

    /** Seeds the demo accounts and waits until every funding payment is posted. */
    static DemoSession seeded(LocalStack stack) throws Exception {
        DemoSession session = new DemoSession(stack);
        for (String location : stack.demoAccounts().seed()) {
            await().atMost(TIMEOUT).until(() -> session.payments.get(location).json().get("status").asText()
                    .equals("POSTED"));
        }
        return session;
    }

    /** Submits a payment over HTTP and returns its ID; it must be accepted. */
    String pay(String key, String from, String to, String amount, String currency) {
        HttpApi payer = from.startsWith("settlement-") ? payments : walletPayments;
        HttpApi.Response response = payer.post("/v1/payments", HttpApi.toJson(Map.of("sourceAccountId", from,
                "destinationAccountId", to, "amount", amount, "currency", currency)), Map.of("Idempotency-Key", key));
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json().get("paymentId").asText();
    }

    JsonNode awaitFinal(String paymentId) {
        await().atMost(TIMEOUT).until(() -> !payments.get("/v1/payments/" + paymentId).json().get("status").asText()
                .equals("PENDING"));
        return payments.get("/v1/payments/" + paymentId).json();
    }

    long balance(String accountId) {
        return ledger.get("/v1/accounts/" + accountId).json().get("balanceMinor").asLong();
    }

    List<String> kinds(String paymentId) {
        List<String> kinds = new ArrayList<>();
        notifications.get("/v1/notifications?paymentId=" + paymentId).json()
                .forEach(n -> kinds.add(n.get("kind").asText()));
        return kinds;
    }
}
