package io.payledger.ledger.it;

import static io.payledger.ledger.it.LedgerTestSupport.approved;
import static io.payledger.ledger.it.LedgerTestSupport.decision;
import static io.payledger.ledger.it.LedgerTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.events.EntryPosted;
import io.payledger.events.FraudVerdict;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.schemas.topic.DeadLetterHeaders;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.DeadLetters;
import io.payledger.testsupport.KafkaTestClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@LedgerIntegrationTest
class LedgerPostingTest {

    @LocalServerPort
    int port;

    private LedgerTestSupport ledger;
    private String settlement;
    private String alice;
    private String bob;

    @BeforeEach
    void openAccounts() {
        ledger = new LedgerTestSupport(port);
        settlement = unique("settlement");
        alice = unique("alice");
        bob = unique("bob");
        ledger.openAccount(settlement, "USD", "SYSTEM");
        ledger.openAccount(alice, "USD", "CUSTOMER");
        ledger.openAccount(bob, "USD", "CUSTOMER");
    }

    @Test
    void anApprovedPaymentIsPostedOnceAsBalancedEntriesAndPublished() {
        // Given alice is funded with 100.00
        String funding = UUID.randomUUID().toString();
        ledger.send(approved(funding, settlement, alice, 10_000, "USD"));
        ledger.outcomesFor(funding);

        // When alice pays bob 25.00
        String payment = UUID.randomUUID().toString();
        ledger.send(approved(payment, alice, bob, 2_500, "USD"));

        // Then one TransactionPosted with two legs summing to zero, and one EntryPosted per leg
        List<SpecificRecord> outcomes = ledger.outcomesFor(payment);
        assertThat(outcomes).singleElement().isInstanceOf(TransactionPosted.class);
        TransactionPosted posted = (TransactionPosted) outcomes.get(0);
        assertThat(posted.getPostings()).extracting(p -> p.getAccountId(), p -> p.getAmountMinor(), p -> p.getSequence(),
                        p -> p.getBalanceAfter())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(alice, -2_500L, 2L, 7_500L),
                        org.assertj.core.groups.Tuple.tuple(bob, 2_500L, 1L, 2_500L));
        List<EntryPosted> entries = ledger.entriesFor(payment, 2);
        assertThat(entries).extracting(EntryPosted::getAccountId).containsExactlyInAnyOrder(alice, bob);
        assertThat(entries.stream().mapToLong(EntryPosted::getAmountMinor).sum()).isZero();

        // And the books agree
        assertThat(ledger.balance(alice)).isEqualTo(7_500);
        assertThat(ledger.balance(bob)).isEqualTo(2_500);
        assertThat(ledger.balance(settlement)).isEqualTo(-10_000);
        JsonNode tx = ledger.api.get("/v1/transactions/" + payment).json();
        assertThat(tx.get("status").asText()).isEqualTo("POSTED");
        assertThat(tx.get("postings")).extracting(leg -> leg.get("accountId").asText(), leg -> leg.get("amount").asText())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(alice, "-25.00"),
                        org.assertj.core.groups.Tuple.tuple(bob, "25.00"));
        assertThat(ledger.api.get("/v1/accounts/" + alice).json().get("version").asLong()).isEqualTo(2);
    }

    @Test
    void aPaymentWithoutFundsIsDeclinedAndMovesNoMoney() {
        // Given alice has 10.00
        String funding = UUID.randomUUID().toString();
        ledger.send(approved(funding, settlement, alice, 1_000, "USD"));
        ledger.outcomesFor(funding);

        // When she tries to pay 10.01
        String payment = UUID.randomUUID().toString();
        ledger.send(approved(payment, alice, bob, 1_001, "USD"));

        // Then
        List<SpecificRecord> outcomes = ledger.outcomesFor(payment);
        assertThat(outcomes).singleElement().isInstanceOfSatisfying(TransactionDeclined.class,
                declined -> assertThat(declined.getReason()).isEqualTo("INSUFFICIENT_FUNDS"));
        assertThat(ledger.balance(alice)).isEqualTo(1_000);
        assertThat(ledger.balance(bob)).isZero();
        assertThat(ledger.api.get("/v1/transactions/" + payment).json().get("declineReason").asText())
                .isEqualTo("INSUFFICIENT_FUNDS");
    }

    @Test
    void aRedeliveredDecisionIsAppliedOnceAndPublishedOnce() {
        // Given the same approved decision delivered three times
        String funding = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            ledger.send(approved(funding, settlement, alice, 5_000, "USD"));
        }
        // And a later payment on the same partition, so all three copies have been consumed when it is out
        String marker = UUID.randomUUID().toString();
        ledger.send(approved(marker, settlement, alice, 1, "USD"));
        ledger.outcomesFor(funding, marker);

        // Then money moved once and one outcome exists
        assertThat(ledger.balance(alice)).isEqualTo(5_001);
        assertThat(ledger.allOutcomesFor(funding)).hasSize(1);
        assertThat(ledger.allEntriesFor(funding)).hasSize(2);
    }

    @Test
    void aRejectedDecisionNeverReachesTheBooks() {
        String rejected = UUID.randomUUID().toString();
        ledger.send(decision(rejected, settlement, alice, 5_000, "USD", FraudVerdict.REJECTED));
        String marker = UUID.randomUUID().toString();
        ledger.send(approved(marker, settlement, alice, 1, "USD"));
        ledger.outcomesFor(marker);

        assertThat(ledger.allOutcomesFor(rejected)).isEmpty();
        assertThat(ledger.api.get("/v1/transactions/" + rejected).status()).isEqualTo(404);
        assertThat(ledger.balance(alice)).isEqualTo(1);
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheConsumerCarriesOn() {
        // Given bytes that are not a fraud decision, on the partition of the next payment
        byte[] garbage = ("not avro " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        ledger.kafka.send(Topics.FRAUD_DECISIONS.name(), settlement, garbage);
        String after = UUID.randomUUID().toString();
        ledger.send(approved(after, settlement, alice, 700, "USD"));

        // Then the payment after it still posts
        assertThat(ledger.outcomesFor(after)).singleElement().isInstanceOf(TransactionPosted.class);

        // And the poison is on the dead-letter topic, bytes intact, with its origin and error
        ConsumerRecord<byte[], byte[]> record = DeadLetters.awaitDeadLetter(ledger.kafka, Topics.FRAUD_DECISIONS,
                garbage, "ledger-service", LedgerTestSupport.TIMEOUT);
        assertThat(KafkaTestClient.header(record, DeadLetterHeaders.ERROR_MESSAGE)).hasValueSatisfying(
                message -> assertThat(message).contains("does not decode"));
    }
}
