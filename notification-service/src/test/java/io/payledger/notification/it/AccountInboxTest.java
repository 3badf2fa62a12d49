package io.payledger.notification.it;

import static io.payledger.notification.it.NotificationTestSupport.CLIENT_A;
import static io.payledger.notification.it.NotificationTestSupport.CLIENT_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.DeadLetters;
import io.payledger.testsupport.HttpApi;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Each account's inbox, {@code GET /v1/accounts/{accountId}/notifications}: the payer's notifications on
 * the source account, the payee's (money received, on posting only) on the destination account; the
 * account's owner, as copied from {@code ledger.accounts}, and operators read it, anyone else gets the
 * 404 of an account that does not exist; newest first, paged by position through {@code next} links.
 */
@NotificationIntegrationTest
class AccountInboxTest extends ThreeClientsApiTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final SerdeSettings SERDE = SerdeSettings.singleObjectEncoding();
    private static final String ACCOUNTS_GROUP = "notification-service.accounts";
    private static final String NOT_FOUND_TYPE = "urn:payledger:problem:account-not-found";
    private static final String INVALID_PAGE_TYPE = "urn:payledger:problem:invalid-page";

    @Test
    void thePayerAndThePayeeEachReadTheirOwnAccountsInbox() {
        // Given a payer account of client A and a payee account of client B, copied from ledger.accounts
        String payer = open(CLIENT_A, clientA);
        String payee = open(CLIENT_B, clientB);

        // When client A's payment between them is accepted, and then posted
        String paymentId = UUID.randomUUID().toString();
        sendInitiated(initiated(paymentId, payer, payee));
        await().atMost(TIMEOUT).until(() -> kinds(clientA, payer).equals(List.of("PAYMENT_ACCEPTED")));
        sendPosted(posted(paymentId, payer, payee));

        // Then A's inbox for the payer account says posted, then (older) accepted
        await().atMost(TIMEOUT).until(() -> kinds(clientA, payer).equals(List.of("PAYMENT_POSTED", "PAYMENT_ACCEPTED")));
        JsonNode payerInbox = clientA.get(inbox(payer)).json();
        assertThat(payerInbox.get("accountId").asString()).isEqualTo(payer);
        assertThat(payerInbox.get("next").isNull()).isTrue();
        assertThat(payerInbox.get("notifications").get(0).get("position").asLong())
                .isGreaterThan(payerInbox.get("notifications").get(1).get("position").asLong());

        // And B's inbox for the payee account has only the money received, delivered
        await().atMost(TIMEOUT).until(() -> kinds(clientB, payee).equals(List.of("PAYMENT_RECEIVED")));
        JsonNode received = clientB.get(inbox(payee)).json().get("notifications").get(0);
        assertThat(received.get("paymentId").asString()).isEqualTo(paymentId);
        assertThat(received.get("message").asString()).isEqualTo("You received 19.99 USD from " + payer + ".");
        assertThat(received.get("notificationId").asString()).isNotBlank();
        assertThat(received.get("createdAt").asString()).isNotBlank();
        await().atMost(TIMEOUT).until(() -> !clientB.get(inbox(payee)).json().get("notifications").get(0)
                .get("deliveredAt").isNull());

        // And each client gets the 404 of an account that does not exist for the other's account
        assertNotFound(clientB.get(inbox(payer)));
        assertNotFound(clientA.get(inbox(payee)));
        assertThat(clientB.get(inbox(payer)).body()).doesNotContain("PAYMENT_", paymentId);

        // And the operator reads both
        assertThat(kinds(operator, payer)).containsExactly("PAYMENT_POSTED", "PAYMENT_ACCEPTED");
        assertThat(kinds(operator, payee)).containsExactly("PAYMENT_RECEIVED");
    }

    @Test
    void thePayeeHearsOnlyOfMoneyThatArrived() {
        // Given a payer account of client A and a payee account of client B
        String payer = open(CLIENT_A, clientA);
        String payee = open(CLIENT_B, clientB);

        // When one payment to the payee is accepted and rejected by fraud, another accepted and declined by the
        // ledger, and a third (after them, on the same partitions) posted
        String rejected = UUID.randomUUID().toString();
        String declined = UUID.randomUUID().toString();
        String postedId = UUID.randomUUID().toString();
        sendInitiated(initiated(rejected, payer, payee));
        sendInitiated(initiated(declined, payer, payee));
        kafka.send(Topics.FRAUD_DECISIONS.name(), payer, Topics.FRAUD_DECISIONS.valueSerde(SERDE).serializer()
                .serialize("t", FraudDecision.newBuilder().setEventId(UUID.randomUUID().toString())
                        .setOccurredAt(Instant.now()).setPaymentId(rejected).setVerdict(FraudVerdict.REJECTED)
                        .setReasons(List.of("AMOUNT_OVER_LIMIT")).setPayment(initiated(rejected, payer, payee))
                        .build()));
        kafka.send(Topics.LEDGER_TRANSACTIONS.name(), payer, Topics.LEDGER_TRANSACTIONS.valueSerde(SERDE).serializer()
                .serialize("t", TransactionDeclined.newBuilder().setEventId(UUID.randomUUID().toString())
                        .setOccurredAt(Instant.now()).setTransactionId(declined).setPaymentId(declined)
                        .setSourceAccountId(payer).setDestinationAccountId(payee).setAmountMinor(1999)
                        .setCurrency("USD").setReason("INSUFFICIENT_FUNDS").build()));
        await().atMost(TIMEOUT).until(() -> kinds(clientA, payer).containsAll(List.of("PAYMENT_REJECTED",
                "PAYMENT_DECLINED")));
        sendPosted(posted(postedId, payer, payee));

        // Then the payee's inbox has the posted payment only
        await().atMost(TIMEOUT).until(() -> !kinds(clientB, payee).isEmpty());
        assertThat(paymentIds(clientB, payee)).containsExactly(postedId);
        // And the payer heard of all three: two acceptances, the rejection, the decline and the posting
        await().atMost(TIMEOUT).until(() -> kinds(clientA, payer).size() == 5);
    }

    @Test
    void redeliveredEventsDoNotTellThePayeeTwice() {
        // Given a payer and a payee account
        String payer = open(CLIENT_A, clientA);
        String payee = open(CLIENT_B, clientB);

        // When a payment's acceptance and posting are each delivered twice, and then another payment is posted
        // (on the same partition, so after them)
        String paymentId = UUID.randomUUID().toString();
        PaymentInitiated initiated = initiated(paymentId, payer, payee);
        TransactionPosted posted = posted(paymentId, payer, payee);
        for (int i = 0; i < 2; i++) {
            sendInitiated(initiated);
            sendPosted(posted);
        }
        String later = UUID.randomUUID().toString();
        sendPosted(posted(later, payer, payee));

        // Then the payee was told once of each payment, newest first
        await().atMost(TIMEOUT).until(() -> paymentIds(clientB, payee).contains(later));
        assertThat(paymentIds(clientB, payee)).containsExactly(later, paymentId);
        assertThat(kinds(clientB, payee)).containsExactly("PAYMENT_RECEIVED", "PAYMENT_RECEIVED");
    }

    @Test
    void theNextLinksWalkTheWholeInboxNewestFirstEachNotificationOnce() {
        // Given seven payments received into one account, one after another (one source: one partition)
        String payer = open(CLIENT_A, clientA);
        String payee = open(CLIENT_B, clientB);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String paymentId = UUID.randomUUID().toString();
            sent.add(paymentId);
            sendPosted(posted(paymentId, payer, payee));
        }
        await().atMost(TIMEOUT).until(() -> paymentIds(clientB, payee).size() == 7);

        // When the owner walks the next links, three at a time
        List<String> walked = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String path = "/v1/accounts/" + payee + "/notifications?limit=3";
        while (path != null) {
            HttpApi.Response response = clientB.get(path);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode page = response.json();
            page.get("notifications").forEach(n -> {
                walked.add(n.get("paymentId").asString());
                positions.add(n.get("position").asLong());
            });
            pageSizes.add(page.get("notifications").size());
            path = page.get("next").isNull() ? null : page.get("next").asString();
        }

        // Then it saw every notification exactly once, newest first, on pages of 3, 3 and 1, the last
        // without a next link
        List<String> newestFirst = new ArrayList<>(sent);
        Collections.reverse(newestFirst);
        assertThat(walked).isEqualTo(newestFirst);
        assertThat(pageSizes).containsExactly(3, 3, 1);
        assertThat(positions).isSortedAccordingTo(Collections.reverseOrder()).doesNotHaveDuplicates();

        // And a page that ends exactly at the oldest has no next link, one that does not has one
        assertThat(clientB.get(inbox(payee) + "?limit=7").json().get("next").isNull()).isTrue();
        JsonNode six = clientB.get(inbox(payee) + "?limit=6").json();
        assertThat(six.get("next").asString())
                .isEqualTo("/v1/accounts/" + payee + "/notifications?limit=6&before=" + positions.get(5));
        // And without a limit, the first 50 (here all seven)
        assertThat(clientB.get(inbox(payee)).json().get("notifications").size()).isEqualTo(7);
        // And before is exclusive: the page before the newest starts at the second newest
        assertThat(clientB.get(inbox(payee) + "?limit=1&before=" + positions.get(0)).json().get("notifications")
                .get(0).get("paymentId").asString()).isEqualTo(newestFirst.get(1));
    }

    @Test
    void aBadLimitOrCursorIsABadRequest() {
        // Given the owner of an account
        String account = open(CLIENT_A, clientA);

        // Then a limit outside 1..200, or a cursor that is not a position, is refused as a problem
        for (String query : List.of("limit=0", "limit=201", "limit=-1", "limit=abc", "limit=", "limit=1e2",
                "before=abc", "before=0", "before=-5", "before=99999999999999999999", "before=1.5")) {
            HttpApi.Response response = clientA.get(inbox(account) + "?" + query);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.contentType()).as(query).startsWith("application/problem+json");
            assertThat(response.json().get("type").asString()).as(query).isEqualTo(INVALID_PAGE_TYPE);
        }
        // And the bounds themselves are fine
        assertThat(clientA.get(inbox(account) + "?limit=1").status()).isEqualTo(200);
        assertThat(clientA.get(inbox(account) + "?limit=200&before=1").status()).isEqualTo(200);
    }

    @Test
    void anAccountWithoutAKnownOwnerIsOnlyForOperators() {
        // Given an account no state has been seen for, and one opened before accounts had owners
        String unknown = "inbox-unknown-" + shortId();
        String ownerless = accountId();
        sendState(ownerless, ownerless, null);
        await().atMost(TIMEOUT).until(() -> copied(ownerless));

        // Then no client reads either, with the 404 of an account that does not exist
        assertNotFound(clientA.get(inbox(unknown)));
        assertNotFound(clientA.get(inbox(ownerless)));
        assertNotFound(clientB.get(inbox(ownerless)));

        // And the operator reads both, empty
        for (String account : List.of(unknown, ownerless)) {
            JsonNode page = operator.get(inbox(account)).json();
            assertThat(page.get("accountId").asString()).isEqualTo(account);
            assertThat(page.get("notifications").size()).isZero();
            assertThat(page.get("next").isNull()).isTrue();
        }

        // And an ID no account can have is 404 even for the operator
        assertNotFound(operator.get(inbox("-not-an-id")));
        assertNotFound(operator.get(inbox("x".repeat(65))));
    }

    @Test
    void anAccountStateNotKeyedByItsAccountIsDeadLetteredAndTheCopyCarriesOn() {
        // Given a state for one account keyed by another account's ID, followed by that other account's own
        // state (same key, so the same partition, read after it)
        String misfiled = accountId();
        String next = accountId();
        byte[] poison = sendState(next, misfiled, CLIENT_A);
        sendState(next, next, CLIENT_A);

        // Then the copy has the account that came after it
        await().atMost(TIMEOUT).until(() -> clientA.get(inbox(next)).status() == 200);
        // And the misfiled state is dead-lettered by the copy's group, not copied
        DeadLetters.awaitDeadLetter(kafka, Topics.LEDGER_ACCOUNTS, poison, ACCOUNTS_GROUP, TIMEOUT);
        assertNotFound(clientA.get(inbox(misfiled)));
    }

    /** A CUSTOMER account of {@code owner}, once this service's copy has it (its owner reads its inbox). */
    private String open(String owner, HttpApi ownersApi) {
        String accountId = accountId();
        sendState(accountId, accountId, owner);
        await().atMost(TIMEOUT).until(() -> ownersApi.get(inbox(accountId)).status() == 200);
        return accountId;
    }

    private byte[] sendState(String key, String accountId, String owner) {
        return NotificationTestSupport.publishAccountState(kafka, key, accountId, owner);
    }

    private static boolean copied(String accountId) throws SQLException {
        return NotificationTestSupport.copied(accountId);
    }

    private void sendInitiated(PaymentInitiated initiated) {
        kafka.send(Topics.PAYMENTS_INITIATED.name(), initiated.getSourceAccountId(),
                Topics.PAYMENTS_INITIATED.valueSerde(SERDE).serializer().serialize("t", initiated));
    }

    private void sendPosted(TransactionPosted posted) {
        kafka.send(Topics.LEDGER_TRANSACTIONS.name(), posted.getSourceAccountId(),
                Topics.LEDGER_TRANSACTIONS.valueSerde(SERDE).serializer().serialize("t", posted));
    }

    private static List<String> kinds(HttpApi api, String accountId) {
        return field(api, accountId, "kind");
    }

    private static List<String> paymentIds(HttpApi api, String accountId) {
        return field(api, accountId, "paymentId");
    }

    private static List<String> field(HttpApi api, String accountId, String field) {
        HttpApi.Response response = api.get(inbox(accountId));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> values = new ArrayList<>();
        response.json().get("notifications").forEach(n -> values.add(n.get(field).asString()));
        return values;
    }

    private static void assertNotFound(HttpApi.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asString()).isEqualTo(NOT_FOUND_TYPE);
    }

    private static String inbox(String accountId) {
        return "/v1/accounts/" + accountId + "/notifications";
    }

    private static String accountId() {
        return "inbox-" + shortId();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static PaymentInitiated initiated(String paymentId, String source, String destination) {
        return PaymentInitiated.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setPaymentId(paymentId).setSourceAccountId(source).setDestinationAccountId(destination)
                .setAmountMinor(1999).setCurrency("USD").setReference(null).setInitiatedBy(CLIENT_A).build();
    }

    private static TransactionPosted posted(String paymentId, String source, String destination) {
        return TransactionPosted.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setTransactionId(paymentId).setPaymentId(paymentId).setSourceAccountId(source)
                .setDestinationAccountId(destination).setAmountMinor(1999).setCurrency("USD")
                .setPostings(List.of()).build();
    }
}
