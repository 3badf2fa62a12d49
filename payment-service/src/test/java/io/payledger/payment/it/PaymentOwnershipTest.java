package io.payledger.payment.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.events.PaymentInitiated;
import io.payledger.payment.domain.PaymentIntake;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.SharedInfrastructure;
import io.payledger.testsupport.SharedIssuer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.ClassUtils;

/**
 * A payment belongs to the client that submitted it, and a client moves money only out of its own
 * accounts (or, with scope {@code funding}, out of the platform's SYSTEM accounts). Real tokens from the
 * shared issuer; the ledger's accounts from the stand-in, with their owners.
 */
class PaymentOwnershipTest extends PaymentServiceTestBase {

    @Autowired
    List<SecurityFilterChain> filterChains;

    @Autowired
    Environment environment;

    @Test
    void aClientPayingOutOfAnotherClientsAccountIsToldItDoesNotExistAndNothingIsRecorded() {
        // Given client B's account, and one that does not exist
        String nobody = "nobody-" + UUID.randomUUID().toString().substring(0, 8);

        // When client A pays out of each
        HttpApi.Response foreign = pay(UUID.randomUUID().toString(), bob, alice, "1.00", "USD");
        HttpApi.Response missing = pay(UUID.randomUUID().toString(), nobody, alice, "1.00", "USD");

        // Then both are refused alike: same status, same problem type, the same words
        assertThat(foreign.status()).as(foreign.body()).isEqualTo(422);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        assertThat(foreign.json().get("type").asText()).isEqualTo("urn:payledger:problem:unknown-account");
        assertThat(foreign.json().get("detail").asText()).isEqualTo("no account " + bob + " you may pay from"
                + PaymentIntake.NOT_SEEN_YET);
        assertThat(missing.status()).isEqualTo(foreign.status());
        assertThat(missing.json().get("type")).isEqualTo(foreign.json().get("type"));
        assertThat(missing.json().get("detail").asText()).isEqualTo("no account " + nobody + " you may pay from"
                + PaymentIntake.NOT_SEEN_YET);

        // And nothing was recorded or published out of B's account
        assertThat(paymentsFrom(bob)).isZero();
        String marker = pay(UUID.randomUUID().toString(), alice, bob, "0.01", "USD").json().get("paymentId").asText();
        assertThat(initiatedFrom(bob, marker)).isEmpty();
    }

    @Test
    void payingOutOfASystemAccountWithoutTheFundingScopeIs403AndRecordsNothing() {
        // Given a SYSTEM account (it may go negative: paying out of it mints money)
        String settlement = settlementAccount();

        // When client A, without scope funding, pays out of it
        HttpApi.Response response = pay(UUID.randomUUID().toString(), settlement, alice, "100.00", "USD");

        // Then it is forbidden, and nothing was recorded or published
        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("urn:payledger:problem:funding-scope-required");
        assertThat(response.json().get("detail").asText()).contains(settlement, "funding");
        assertThat(paymentsFrom(settlement)).isZero();
        String marker = pay(UUID.randomUUID().toString(), alice, bob, "0.01", "USD").json().get("paymentId").asText();
        assertThat(initiatedFrom(settlement, marker)).isEmpty();
    }

    @Test
    void anOperatorWithTheFundingScopePaysOutOfASystemAccount() {
        // Given a SYSTEM account the operator does not own as a customer would (and need not)
        String settlement = settlementAccount();

        // When test-operator (scope funding) funds client A's account out of it
        HttpApi.Response response = pay(as(OPERATOR), UUID.randomUUID().toString(), settlement, alice, "100.00", "USD");

        // Then it is accepted as the operator's payment
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        String paymentId = response.json().get("paymentId").asText();
        PaymentInitiated event = INITIATED.deserialize("t", initiatedRecords(paymentId, 1).get(0).value());
        assertThat(event.getSourceAccountId()).isEqualTo(settlement);
        assertThat(event.getInitiatedBy()).isEqualTo(OPERATOR);
    }

    @Test
    void theSameIdempotencyKeyFromTwoClientsIsTwoPayments() {
        // Given client A's payment under a key
        String key = UUID.randomUUID().toString();
        HttpApi.Response first = pay(key, alice, bob, "5.00", "USD");

        // When client B uses the same key for a payment of its own
        HttpApi.Response second = pay(as(CLIENT_B), key, bob, alice, "7.00", "USD");

        // Then B gets a new payment, not A's (neither replayed nor refused as a reused key)
        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).as(second.body()).isEqualTo(202);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("false");
        assertThat(second.json().get("paymentId").asText()).isNotEqualTo(first.json().get("paymentId").asText());
        assertThat(paymentsWithKey(key)).isEqualTo(2);
        // And each finds its own by the key
        assertThat(api.get("/v1/payments?idempotencyKey=" + key).json().get("amount").asText()).isEqualTo("5.00");
        assertThat(as(CLIENT_B).get("/v1/payments?idempotencyKey=" + key).json().get("amount").asText())
                .isEqualTo("7.00");
    }

    @Test
    void anotherClientLookingUpAClientsKeyFindsNothing() {
        // Given client A's payment under a key client B never used
        String key = UUID.randomUUID().toString();
        assertThat(pay(key, alice, bob, "5.00", "USD").status()).isEqualTo(202);

        // When client B, and an operator, look the key up
        HttpApi.Response byB = as(CLIENT_B).get("/v1/payments?idempotencyKey=" + key);
        HttpApi.Response byOperator = as(OPERATOR).get("/v1/payments?idempotencyKey=" + key);

        // Then neither finds it: a key is looked up among the caller's own payments
        assertThat(byB.status()).isEqualTo(404);
        assertThat(byB.json().get("type").asText()).isEqualTo("urn:payledger:problem:payment-not-found");
        assertThat(byOperator.status()).isEqualTo(404);
    }

    @Test
    void aPaymentIsReadByItsOwnerAndOperatorsAndIsNotFoundForEveryoneElse() {
        // Given client A's payment
        String paymentId = pay(UUID.randomUUID().toString(), alice, bob, "5.00", "USD").json().get("paymentId").asText();
        HttpApi.Response unknown = as(CLIENT_B).get("/v1/payments/" + UUID.randomUUID());

        // When read by A, by B, by a client that may only read payments, and by an operator
        HttpApi.Response byOwner = api.get("/v1/payments/" + paymentId);
        HttpApi.Response byB = as(CLIENT_B).get("/v1/payments/" + paymentId);
        HttpApi.Response byReader = as(SharedIssuer.READER).get("/v1/payments/" + paymentId);
        HttpApi.Response byOperator = as(OPERATOR).get("/v1/payments/" + paymentId);

        // Then the owner and the operator see it; the others get exactly what a missing payment gets
        assertThat(byOwner.status()).isEqualTo(200);
        assertThat(byOperator.status()).isEqualTo(200);
        assertThat(byOperator.json().get("paymentId").asText()).isEqualTo(paymentId);
        for (HttpApi.Response refused : List.of(byB, byReader)) {
            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.json().get("type")).isEqualTo(unknown.json().get("type"));
            assertThat(refused.json().get("detail").asText()).isEqualTo("no payment " + paymentId);
        }
    }

    @Test
    void aPaymentFromBeforeOwnersIsSeenByOperatorsOnly() throws Exception {
        // Given a payment recorded before payments had owners
        UUID paymentId = UUID.randomUUID();
        String key = "legacy-" + paymentId;
        try (Connection connection = DriverManager.getConnection(SharedInfrastructure.postgres().jdbcUrl(),
                SharedInfrastructure.postgres().username(), SharedInfrastructure.postgres().password());
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO payment.payments (payment_id, idempotency_key, request_fingerprint, channel,
                         source_account_id, destination_account_id, amount_minor, currency, status, created_at,
                         updated_at)
                     VALUES (?, ?, 'fingerprint', 'HTTP', ?, ?, 100, 'USD', 'POSTED', now(), now())""")) {
            insert.setObject(1, paymentId);
            insert.setString(2, key);
            insert.setString(3, alice);
            insert.setString(4, bob);
            insert.executeUpdate();
        }

        // Then its former producer (whoever it was) cannot read it, nor find it by key; an operator can read it
        assertThat(api.get("/v1/payments/" + paymentId).status()).isEqualTo(404);
        assertThat(api.get("/v1/payments?idempotencyKey=" + key).status()).isEqualTo(404);
        assertThat(as(OPERATOR).get("/v1/payments/" + paymentId).status()).isEqualTo(200);
        // And the key is free for a new payment of a client that has owners
        assertThat(pay(key, alice, bob, "1.00", "USD").status()).isEqualTo(202);
    }

    @Test
    void paymentsAreCheckedAgainstTheCopyWithoutLedgerServiceWhichThisServiceCannotEvenReach() {
        // Given payment-service knows no ledger-service at all: no URL, no OAuth2 client to get a token with
        assertThat(environment.getProperty("payledger.ledger-url")).isNull();
        assertThat(environment.getProperty("spring.security.oauth2.client.registration.ledger.client-id")).isNull();
        assertThat(ClassUtils.isPresent("org.springframework.security.oauth2.client.registration."
                + "ClientRegistrationRepository", getClass().getClassLoader())).isFalse();
        String source = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        LEDGER.open(source, "USD", CLIENT_A);

        // When client A pays out of its account, which the copy learned from ledger.accounts
        HttpApi.Response response = pay(UUID.randomUUID().toString(), source, bob, "1.00", "USD");

        // Then the payment is accepted
        assertThat(response.status()).as(response.body()).isEqualTo(202);
    }

    @Test
    void thereIsNoLoginPageAndNoSecondFilterChain() {
        // The platform's one chain, a resource server: no oauth2Login, no redirect to an authorization endpoint
        assertThat(filterChains).hasSize(1);
        for (String path : List.of("/login", "/oauth2/authorization/ledger", "/login/oauth2/code/ledger")) {
            HttpApi.Response response = new HttpApi("http://localhost:" + port).get(path);
            assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(401);
            assertThat(response.contentType()).as(path).startsWith("application/problem+json");
        }
    }

    private static String settlementAccount() {
        String settlement = "settlement-" + UUID.randomUUID().toString().substring(0, 8);
        LEDGER.openSystem(settlement, "USD");
        return settlement;
    }

}
