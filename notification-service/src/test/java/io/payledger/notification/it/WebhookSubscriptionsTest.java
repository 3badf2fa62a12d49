package io.payledger.notification.it;

import static io.payledger.notification.it.NotificationTestSupport.CLIENT_A;
import static io.payledger.notification.it.NotificationTestSupport.CLIENT_B;
import static io.payledger.notification.it.WebhookTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.testsupport.HttpApi;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Subscriptions over HTTP with real tokens: a subscription is its client's (and operators'); anyone else gets the
 * 404 of one that does not exist; only one's own accounts may be subscribed; bad bodies are 400s that store
 * nothing; the secret is shown once.
 */
@NotificationIntegrationTest
class WebhookSubscriptionsTest extends ThreeClientsApiTest {

    private static final String URL = "https://hooks.example.com/payledger";

    @Test
    void aSubscriptionIsItsClientsAndOperatorsOnlyAndItsSecretIsShownOnce() {
        // Given an account of client A's, and one of client B's
        String accountA = unique("wsa");
        String accountB = unique("wsb");
        WebhookTestSupport.openAccount(kafka, accountA, CLIENT_A);
        WebhookTestSupport.openAccount(kafka, accountB, CLIENT_B);

        // When A subscribes its account
        HttpApi.Response created = clientA.post("/v1/webhooks", body(URL, List.of("payment.posted", "payment.received"),
                List.of(accountA)));

        // Then it is created, A's, with a secret shown in this response only
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode subscription = created.json();
        String id = subscription.get("id").asString();
        String secret = subscription.get("secret").asString();
        assertThat(created.header("Location")).isEqualTo("/v1/webhooks/" + id);
        assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
        assertThat(subscription.get("owner").asString()).isEqualTo(CLIENT_A);
        assertThat(subscription.get("eventTypes").toString()).contains("payment.posted", "payment.received");
        String self = "/v1/webhooks/" + id;
        for (HttpApi.Response read : List.of(clientA.get(self), clientA.get("/v1/webhooks"), operator.get(self),
                operator.get("/v1/webhooks"))) {
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.body()).contains(id).doesNotContain(secret).doesNotContain("\"secret\"");
        }
        JsonNode view = clientA.get(self).json();
        assertThat(view.get("circuitBreaker").asString()).isEqualTo("CLOSED");
        assertThat(view.get("pending").asLong()).isZero();

        // And client B cannot see, list, read the deliveries of, redrive or delete it: the 404 of no webhook
        HttpApi.Response missing = clientB.get("/v1/webhooks/" + java.util.UUID.randomUUID());
        assertThat(missing.status()).isEqualTo(404);
        for (HttpApi.Response refused : List.of(clientB.get(self), clientB.get(self + "/deliveries?status=DEAD"),
                clientB.post(self + "/redrive", ""),
                clientB.post(self + "/deliveries/" + java.util.UUID.randomUUID() + "/redrive", ""))) {
            assertSameProblem(refused, missing);
            assertThat(refused.body()).doesNotContain(accountA);
        }
        assertThat(WebhookTestSupport.delete(port, CLIENT_B, self)).isEqualTo(404);
        assertThat(clientB.get("/v1/webhooks").body()).doesNotContain(id);

        // And B may not subscribe A's account: the same 422 as for an account that does not exist
        HttpApi.Response othersAccount = clientB.post("/v1/webhooks", body(URL, List.of("payment.posted"),
                List.of(accountA)));
        HttpApi.Response noAccount = clientB.post("/v1/webhooks", body(URL, List.of("payment.posted"),
                List.of(unique("nobody"))));
        assertThat(noAccount.status()).isEqualTo(422);
        assertSameProblem(othersAccount, noAccount);

        // And A deletes it: 204, then it is gone for A and the operator
        assertThat(WebhookTestSupport.delete(port, CLIENT_A, self)).isEqualTo(204);
        assertThat(clientA.get(self).status()).isEqualTo(404);
        assertThat(operator.get(self).status()).isEqualTo(404);
        assertThat(clientA.get("/v1/webhooks").body()).doesNotContain(id);
    }

    @Test
    void badSubscriptionsAre400sThatStoreNothing() {
        // Given client A's account and A's subscriptions so far
        String account = unique("wsv");
        WebhookTestSupport.openAccount(kafka, account, CLIENT_A);
        int before = clientA.get("/v1/webhooks").json().size();
        List<String> types = List.of("payment.accepted");
        List<String> accounts = List.of(account);
        List<String> tooMany = new ArrayList<>(Collections.nCopies(101, account));
        for (int i = 0; i < tooMany.size(); i++) {
            tooMany.set(i, account + "-" + i);
        }

        // When A sends bodies that break each rule
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("no url", HttpApi.toJson(Map.of("eventTypes", types, "accounts", accounts)));
        bad.put("relative url", body("/hooks", types, accounts));
        bad.put("not http", body("ftp://hooks.example.com/x", types, accounts));
        bad.put("no host", body("http:///x", types, accounts));
        bad.put("credentials in url", body("https://user:pass@hooks.example.com/x", types, accounts));
        bad.put("url too long", body("https://hooks.example.com/" + "x".repeat(2048), types, accounts));
        bad.put("not a url", body("https://hooks example.com/", types, accounts));
        bad.put("no types", body(URL, List.of(), accounts));
        bad.put("unknown type", body(URL, List.of("payment.refunded"), accounts));
        bad.put("no accounts", body(URL, types, List.of()));
        bad.put("101 accounts", body(URL, types, tooMany));
        bad.put("invalid account", body(URL, types, List.of("bad account\n")));
        bad.put("no body", "");
        bad.put("not json", "{url:");
        bad.put("types not a list", "{\"url\":\"" + URL + "\",\"eventTypes\":\"payment.accepted\",\"accounts\":[\""
                + account + "\"]}");

        // Then each is a 400 problem, and nothing is stored
        bad.forEach((rule, json) -> {
            HttpApi.Response refused = clientA.post("/v1/webhooks", json);
            assertThat(refused.status()).as(rule + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.contentType()).as(rule).startsWith("application/problem+json");
        });
        assertThat(clientA.post("/v1/webhooks", body("https://hooks.example.com/x", List.of("payment.refunded"),
                accounts)).json().get("type").asString()).isEqualTo("urn:payledger:problem:invalid-webhook");
        assertThat(clientA.get("/v1/webhooks").json().size()).isEqualTo(before);
    }

    private static String body(String url, List<String> eventTypes, List<String> accounts) {
        return HttpApi.toJson(Map.of("url", url, "eventTypes", eventTypes, "accounts", accounts));
    }

    private static void assertSameProblem(HttpApi.Response refused, HttpApi.Response reference) {
        assertThat(refused.status()).as(refused.body()).isEqualTo(reference.status());
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("type")).isEqualTo(reference.json().get("type"));
        assertThat(refused.json().get("title")).isEqualTo(reference.json().get("title"));
    }
}
