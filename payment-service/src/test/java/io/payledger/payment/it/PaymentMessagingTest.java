package io.payledger.payment.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.commands.InitiatePayment;
import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.DeadLetterHeaders;
import io.payledger.schemas.topic.Topics;
import io.payledger.schemas.topic.TraceHeaders;
import io.payledger.testsupport.DeadLetters;
import io.payledger.testsupport.KafkaTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import io.payledger.testsupport.SharedInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PaymentMessagingTest extends PaymentServiceTestBase {

    private static final SerdeSettings SERDE = SerdeSettings.singleObjectEncoding();
    private static final String INTAKE_GROUP = "payment-service";
    private static final String OUTCOMES_GROUP = "payment-service.outcomes";

    @Test
    void aFraudRejectionSettlesThePaymentAsRejectedWithReasons() {
        String paymentId = newPayment();

        send(Topics.FRAUD_DECISIONS.name(), alice, Topics.FRAUD_DECISIONS.valueSerde(SERDE).serializer()
                .serialize("t", decision(paymentId, FraudVerdict.REJECTED, List.of("AMOUNT_OVER_LIMIT"))));

        JsonNode payment = awaitStatus(paymentId, "REJECTED");
        assertThat(PaymentsApiTest.texts(payment.get("reasons"))).containsExactly("AMOUNT_OVER_LIMIT");
    }

    @Test
    void theLedgersOutcomeSettlesThePaymentAndAFinalStatusNeverChanges() {
        String posted = newPayment();
        String declined = newPayment();

        sendOutcome(TransactionPosted.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setTransactionId(posted).setPaymentId(posted).setSourceAccountId(alice).setDestinationAccountId(bob)
                .setAmountMinor(100).setCurrency("USD").setPostings(List.of()).build());
        sendOutcome(TransactionDeclined.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setTransactionId(declined).setPaymentId(declined).setSourceAccountId(alice).setDestinationAccountId(bob)
                .setAmountMinor(100).setCurrency("USD").setReason("INSUFFICIENT_FUNDS").build());

        awaitStatus(posted, "POSTED");
        assertThat(PaymentsApiTest.texts(awaitStatus(declined, "DECLINED").get("reasons"))).containsExactly("INSUFFICIENT_FUNDS");

        // A late contradictory event (a replay, a bug upstream) does not reopen a settled payment.
        send(Topics.FRAUD_DECISIONS.name(), alice, Topics.FRAUD_DECISIONS.valueSerde(SERDE).serializer()
                .serialize("t", decision(posted, FraudVerdict.REJECTED, List.of("LATE"))));
        String marker = newPayment();
        send(Topics.FRAUD_DECISIONS.name(), alice, Topics.FRAUD_DECISIONS.valueSerde(SERDE).serializer()
                .serialize("t", decision(marker, FraudVerdict.REJECTED, List.of("MARKER"))));
        awaitStatus(marker, "REJECTED");
        assertThat(api.get("/v1/payments/" + posted).json().get("status").asText()).isEqualTo("POSTED");
    }

    @Test
    void aKafkaCommandIsAcceptedOnceHoweverOftenItIsSent() {
        String commandId = UUID.randomUUID().toString();
        byte[] command = commandBytes(commandId, alice, bob, 250);

        send(COMMANDS.name(), alice, command);
        send(COMMANDS.name(), alice, command);

        // The payment exists once; one PaymentInitiated carries it.
        await().atMost(TIMEOUT).until(() -> paymentsWithKey(commandId) == 1);
        String marker = UUID.randomUUID().toString();
        send(COMMANDS.name(), alice, commandBytes(marker, alice, bob, 1));
        await().atMost(TIMEOUT).until(() -> paymentsWithKey(marker) == 1);
        List<PaymentInitiated> events = kafka.readAll(Topics.PAYMENTS_INITIATED.name()).stream()
                .map(r -> INITIATED.deserialize(r.topic(), r.value()))
                .filter(e -> e.getAmountMinor() == 250 && e.getSourceAccountId().equals(alice)).toList();
        assertThat(events).hasSize(1);
        assertThat(paymentsWithKey(commandId)).isEqualTo(1);
    }

    @Test
    void badCommandsGoToTheDeadLetterTopicWithTheReasonAndIntakeCarriesOn() {
        // Given bytes that are not a command, and a command naming an account the ledger does not know
        byte[] garbage = ("garbage " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        String unknownAccountCommand = UUID.randomUUID().toString();
        byte[] unknownAccount = commandBytes(unknownAccountCommand, alice, "nobody-" + UUID.randomUUID(), 100);
        String good = UUID.randomUUID().toString();

        // When they arrive ahead of a good command on the same partition
        send(COMMANDS.name(), alice, garbage);
        send(COMMANDS.name(), alice, unknownAccount);
        send(COMMANDS.name(), alice, commandBytes(good, alice, bob, 100));

        // Then the good command is accepted, and both bad ones are dead letters that say why
        await().atMost(TIMEOUT).until(() -> paymentsWithKey(good) == 1);
        DeadLetters.awaitDeadLetter(kafka, COMMANDS, garbage, INTAKE_GROUP, TIMEOUT);
        ConsumerRecord<byte[], byte[]> refused =
                DeadLetters.awaitDeadLetter(kafka, COMMANDS, unknownAccount, INTAKE_GROUP, TIMEOUT);
        assertThat(KafkaTestClient.header(refused, DeadLetterHeaders.ERROR_MESSAGE))
                .hasValueSatisfying(message -> assertThat(message).contains("UNKNOWN_ACCOUNT"));
        assertThat(paymentsWithKey(unknownAccountCommand)).isZero();
    }

    @Test
    void commandsTheDatabaseCouldNotStoreAreDeadLetteredAndIntakeCarriesOn() {
        // Given commands with a 5,000-character commandId, a NUL in the commandId and a NUL in the reference,
        // and a good command under a trace-id header of 10,000 characters ending in NUL
        byte[] longCommandId = commandBytes("c".repeat(5_000), alice, bob, 100, null);
        byte[] nulInCommandId = commandBytes(UUID.randomUUID() + "\u0000", alice, bob, 100, null);
        byte[] nulInReference = commandBytes(UUID.randomUUID().toString(), alice, bob, 100, "lunch\u0000");
        String badlyTraced = UUID.randomUUID().toString();
        String good = UUID.randomUUID().toString();

        // When they arrive in this order on one partition
        send(COMMANDS.name(), alice, longCommandId);
        send(COMMANDS.name(), alice, nulInCommandId);
        send(COMMANDS.name(), alice, nulInReference);
        kafka.send(COMMANDS.name(), alice, commandBytes(badlyTraced, alice, bob, 100, null),
                Map.of(TraceHeaders.TRACE_ID, "t".repeat(10_000) + "\u0000"));
        send(COMMANDS.name(), alice, commandBytes(good, alice, bob, 100, "lunch"));

        // Then the good commands are accepted, the badly traced one under a trace ID of its own
        await().atMost(TIMEOUT).until(() -> paymentsWithKey(good) == 1);
        assertThat(paymentsWithKey(badlyTraced)).isEqualTo(1);
        assertThat(traceIdOfPaymentWithKey(badlyTraced)).matches("[A-Za-z0-9-]{8,64}");

        // And each malformed command is a dead letter that says what to fix, and nothing else was recorded
        assertThat(deadLetterError(longCommandId)).contains("INVALID_IDEMPOTENCY_KEY", "commandId", "5000 characters");
        assertThat(deadLetterError(nulInCommandId)).contains("INVALID_IDEMPOTENCY_KEY", "\\u0000");
        assertThat(deadLetterError(nulInReference)).contains("INVALID_REFERENCE");
        assertThat(paymentsFrom(alice)).isEqualTo(2);
    }

    private String deadLetterError(byte[] command) {
        ConsumerRecord<byte[], byte[]> deadLetter =
                DeadLetters.awaitDeadLetter(kafka, COMMANDS, command, INTAKE_GROUP, TIMEOUT);
        return KafkaTestClient.header(deadLetter, DeadLetterHeaders.ERROR_MESSAGE).orElseThrow();
    }

    @Test
    void aPoisonOutcomeGoesToItsDeadLetterTopicAndStatusUpdatesCarryOn() {
        // Given bytes that are not a ledger outcome, ahead of a real one on the same partition
        byte[] garbage = ("not an outcome " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        send(Topics.LEDGER_TRANSACTIONS.name(), alice, garbage);
        String posted = newPayment();
        sendOutcome(TransactionPosted.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setTransactionId(posted).setPaymentId(posted).setSourceAccountId(alice).setDestinationAccountId(bob)
                .setAmountMinor(100).setCurrency("USD").setPostings(List.of()).build());

        // Then the real outcome settles its payment, and the poison is a dead letter
        awaitStatus(posted, "POSTED");
        DeadLetters.awaitDeadLetter(kafka, Topics.LEDGER_TRANSACTIONS, garbage, OUTCOMES_GROUP, TIMEOUT);
    }

    @Test
    void aPoisonFraudDecisionGoesToItsDeadLetterTopicAndStatusUpdatesCarryOn() {
        // Given bytes that are not a fraud decision, ahead of a real one on the same partition
        byte[] garbage = ("not a decision " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        send(Topics.FRAUD_DECISIONS.name(), alice, garbage);
        String rejected = newPayment();
        send(Topics.FRAUD_DECISIONS.name(), alice, Topics.FRAUD_DECISIONS.valueSerde(SERDE).serializer()
                .serialize("t", decision(rejected, FraudVerdict.REJECTED, List.of("AMOUNT_OVER_LIMIT"))));

        // Then the real decision settles its payment, and the poison is a dead letter
        awaitStatus(rejected, "REJECTED");
        DeadLetters.awaitDeadLetter(kafka, Topics.FRAUD_DECISIONS, garbage, OUTCOMES_GROUP, TIMEOUT);
    }

    @Test
    void wellFormedButInvalidOutcomesAreDeadLetteredAndStatusUpdatesCarryOn() {
        // Given outcomes that decode but break the contract, each ahead of a real one on the same partition
        String held = newPayment();
        FraudDecision nulInReason = decision(held, FraudVerdict.REJECTED, List.of("AMOUNT_OVER_LIMIT\u0000"));
        FraudDecision hugeReason = decision(held, FraudVerdict.REJECTED, List.of("R".repeat(100_000)));
        FraudDecision notAUuid = decision("not-a-uuid\nforged", FraudVerdict.REJECTED, List.of("AMOUNT_OVER_LIMIT"));
        byte[][] hostile = {serialize(nulInReason), serialize(hugeReason), serialize(notAUuid)};
        String rejected = newPayment();
        for (byte[] record : hostile) {
            send(Topics.FRAUD_DECISIONS.name(), alice, record);
        }
        send(Topics.FRAUD_DECISIONS.name(), alice,
                serialize(decision(rejected, FraudVerdict.REJECTED, List.of("AMOUNT_OVER_LIMIT"))));
        String declined = newPayment();
        TransactionDeclined nulReason = TransactionDeclined.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.EPOCH).setTransactionId(declined).setPaymentId(declined).setSourceAccountId(alice)
                .setDestinationAccountId(bob).setAmountMinor(100).setCurrency("USD").setReason("NO\u0000").build();
        byte[] nulReasonBytes = Topics.LEDGER_TRANSACTIONS.valueSerde(SERDE).serializer().serialize("t", nulReason);
        send(Topics.LEDGER_TRANSACTIONS.name(), alice, nulReasonBytes);
        sendOutcome(TransactionDeclined.newBuilder(nulReason).setReason("INSUFFICIENT_FUNDS").build());

        // Then the real outcomes settle their payments, the held one is untouched, and each hostile one is a dead letter
        awaitStatus(rejected, "REJECTED");
        assertThat(awaitStatus(declined, "DECLINED").get("reasons").get(0).asText()).isEqualTo("INSUFFICIENT_FUNDS");
        for (byte[] record : hostile) {
            DeadLetters.awaitDeadLetter(kafka, Topics.FRAUD_DECISIONS, record, OUTCOMES_GROUP, TIMEOUT);
        }
        DeadLetters.awaitDeadLetter(kafka, Topics.LEDGER_TRANSACTIONS, nulReasonBytes, OUTCOMES_GROUP, TIMEOUT);
        assertThat(api.get("/v1/payments/" + held).json().get("status").asText()).isEqualTo("PENDING");
    }

    @Test
    void aCommandOnAProducersTopicOutOfItsOwnAccountIsAcceptedAsThatProducersPayment() {
        // Given an account of producer X
        String xAccount = "x-" + UUID.randomUUID().toString().substring(0, 8);
        LEDGER.open(xAccount, "USD", PRODUCER_X);
        String commandId = UUID.randomUUID().toString();

        // When producer X's topic carries a command out of it
        send(PRODUCER_X_COMMANDS.name(), xAccount, commandBytes(commandId, xAccount, bob, 300));

        // Then the payment is producer X's, and its PaymentInitiated says so
        await().atMost(TIMEOUT).until(() -> paymentsWithKey(commandId) == 1);
        assertThat(ownerOfPaymentWithKey(commandId)).isEqualTo(PRODUCER_X);
        String paymentId = paymentIdOfPaymentWithKey(commandId);
        PaymentInitiated event = INITIATED.deserialize(Topics.PAYMENTS_INITIATED.name(),
                initiatedRecords(paymentId, 1).get(0).value());
        assertThat(event.getInitiatedBy()).isEqualTo(PRODUCER_X);
        // And operators see it, client A does not
        assertThat(as(OPERATOR).get("/v1/payments/" + paymentId).status()).isEqualTo(200);
        assertThat(api.get("/v1/payments/" + paymentId).status()).isEqualTo(404);
    }

    @Test
    void aCommandOutOfAnAccountItsProducerDoesNotOwnIsDeadLetteredAndRecordsNothing() {
        // Given client A's account, and a command out of it on producer X's topic
        String commandId = UUID.randomUUID().toString();
        byte[] command = commandBytes(commandId, alice, bob, 100);

        // When it arrives
        send(PRODUCER_X_COMMANDS.name(), alice, command);

        // Then it is dead-lettered on producer X's dead-letter topic as an unknown account, and nothing is recorded
        ConsumerRecord<byte[], byte[]> refused =
                DeadLetters.awaitDeadLetter(kafka, PRODUCER_X_COMMANDS, command, INTAKE_GROUP, TIMEOUT);
        assertThat(KafkaTestClient.header(refused, DeadLetterHeaders.ERROR_MESSAGE)).hasValueSatisfying(message ->
                assertThat(message).contains("UNKNOWN_ACCOUNT", "no account " + alice + " you may pay from"));
        assertThat(paymentsWithKey(commandId)).isZero();
        assertThat(paymentsFrom(alice)).isZero();
    }

    @Test
    void aCommandOutOfASystemAccountIsDeadLetteredWhoeverTheProducer() {
        // Given a SYSTEM account, and a command out of it on producer X's topic (no scope travels over Kafka)
        String settlement = "settlement-" + UUID.randomUUID().toString().substring(0, 8);
        LEDGER.openSystem(settlement, "USD");
        String commandId = UUID.randomUUID().toString();
        byte[] command = commandBytes(commandId, settlement, bob, 100);

        // When it arrives
        send(PRODUCER_X_COMMANDS.name(), settlement, command);

        // Then it is dead-lettered as needing the funding scope, and nothing is recorded
        ConsumerRecord<byte[], byte[]> refused =
                DeadLetters.awaitDeadLetter(kafka, PRODUCER_X_COMMANDS, command, INTAKE_GROUP, TIMEOUT);
        assertThat(KafkaTestClient.header(refused, DeadLetterHeaders.ERROR_MESSAGE))
                .hasValueSatisfying(message -> assertThat(message).contains("FUNDING_SCOPE_REQUIRED"));
        assertThat(paymentsFrom(settlement)).isZero();
    }

    @Test
    void recordsOnTopicsBelowOrBesideTheProducerTopicsAreNotConsumed() throws Exception {
        // Given valid commands out of producer X's account on its dead-letter topic and on the old single topic's
        // dead-letter topic, both of which anyone with write access to them could fill
        String xAccount = "x-" + UUID.randomUUID().toString().substring(0, 8);
        LEDGER.open(xAccount, "USD", PRODUCER_X);
        String onDeadLetterTopic = UUID.randomUUID().toString();
        String onOldDeadLetterTopic = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        kafka.createTopics(3, "payments.commands.dlt");
        send(PRODUCER_X_COMMANDS.deadLetterTopic(), xAccount, commandBytes(onDeadLetterTopic, xAccount, bob, 100));
        send("payments.commands.dlt", xAccount, commandBytes(onOldDeadLetterTopic, xAccount, bob, 100));

        // When a command on producer X's own topic is accepted behind them
        send(PRODUCER_X_COMMANDS.name(), xAccount, commandBytes(marker, xAccount, bob, 100));
        await().atMost(TIMEOUT).until(() -> paymentsWithKey(marker) == 1);

        // Then neither of the others became a payment
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                paymentsWithKey(onDeadLetterTopic) + paymentsWithKey(onOldDeadLetterTopic) == 0);
        assertThat(paymentsFrom(xAccount)).isEqualTo(1);
        // And the intake's subscription holds the producers' topics and not the dead-letter topic (which existed
        // before the service started, so a subscription that matched it would hold it)
        assertThat(topicsAssignedTo(INTAKE_GROUP)).contains(COMMANDS.name(), PRODUCER_X_COMMANDS.name())
                .doesNotContain(PRODUCER_X_COMMANDS.deadLetterTopic(), COMMANDS.deadLetterTopic());
    }

    private static Set<String> topicsAssignedTo(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.kafkaBootstrapServers()))) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                    .get(30, TimeUnit.SECONDS).get(group);
            return description.members().stream()
                    .flatMap(member -> member.assignment().topicPartitions().stream())
                    .map(TopicPartition::topic)
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void theSameCommandIdFromTwoProducersIsTwoPayments() {
        // Given a command ID used by client A on its topic and by producer X on its own
        String xAccount = "x-" + UUID.randomUUID().toString().substring(0, 8);
        LEDGER.open(xAccount, "USD", PRODUCER_X);
        String commandId = UUID.randomUUID().toString();

        // When both arrive
        send(COMMANDS.name(), alice, commandBytes(commandId, alice, bob, 100));
        send(PRODUCER_X_COMMANDS.name(), xAccount, commandBytes(commandId, xAccount, bob, 100));

        // Then each is a payment of its own producer
        await().atMost(TIMEOUT).until(() -> paymentsWithKey(commandId) == 2);
        assertThat(api.get("/v1/payments?idempotencyKey=" + commandId).json().get("sourceAccountId").asText())
                .isEqualTo(alice);
    }

    private static byte[] serialize(FraudDecision decision) {
        return Topics.FRAUD_DECISIONS.valueSerde(SERDE).serializer().serialize("t", decision);
    }

    private String newPayment() {
        return pay(UUID.randomUUID().toString(), alice, bob, "1.00", "USD").json().get("paymentId").asText();
    }

    @Test
    void anOutcomeThatDescribesAnotherPaymentThanTheOneRecordedSettlesNothingAndIsDeadLettered() {
        // Given a pending payment of 1.00 USD from alice to bob
        String pending = newPayment();

        // When outcomes arrive that name its ID but another amount, and another payee, an approval whose payment ID is
        // no UUID, and a rejection of a payment that breaks the rules (a NUL byte), each ahead of a real outcome
        // on the same partition
        TransactionPosted otherAmount = TransactionPosted.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setTransactionId(pending).setPaymentId(pending).setSourceAccountId(alice)
                .setDestinationAccountId(bob).setAmountMinor(1_000_000).setCurrency("USD").setPostings(List.of()).build();
        TransactionPosted otherPayee = TransactionPosted.newBuilder(otherAmount).setEventId(UUID.randomUUID().toString())
                .setAmountMinor(100).setDestinationAccountId(alice + "-elsewhere").build();
        byte[] otherAmountBytes = Topics.LEDGER_TRANSACTIONS.valueSerde(SERDE).serializer().serialize("t", otherAmount);
        byte[] otherPayeeBytes = Topics.LEDGER_TRANSACTIONS.valueSerde(SERDE).serializer().serialize("t", otherPayee);
        byte[] approvalWithoutId = serialize(decision("not-a-uuid", FraudVerdict.APPROVED, List.of()));
        FraudDecision rejection = decision(UUID.randomUUID().toString(), FraudVerdict.REJECTED,
                List.of("INVALID_PAYMENT"));
        byte[] rejectionOfInvalidPayment = serialize(FraudDecision.newBuilder(rejection).setPayment(
                PaymentInitiated.newBuilder(rejection.getPayment()).setSourceAccountId(alice + "\u0000").build()).build());
        send(Topics.FRAUD_DECISIONS.name(), alice, rejectionOfInvalidPayment);
        send(Topics.LEDGER_TRANSACTIONS.name(), alice, otherAmountBytes);
        send(Topics.LEDGER_TRANSACTIONS.name(), alice, otherPayeeBytes);
        send(Topics.FRAUD_DECISIONS.name(), alice, approvalWithoutId);
        String marker = newPayment();
        sendOutcome(TransactionPosted.newBuilder(otherAmount).setEventId(UUID.randomUUID().toString())
                .setTransactionId(marker).setPaymentId(marker).setAmountMinor(100).build());

        // Then the real outcome settles its payment, the described-otherwise one stays PENDING, and all four are
        // dead letters of payment-service's outcomes group
        awaitStatus(marker, "POSTED");
        DeadLetters.awaitDeadLetter(kafka, Topics.LEDGER_TRANSACTIONS, otherAmountBytes, OUTCOMES_GROUP, TIMEOUT);
        DeadLetters.awaitDeadLetter(kafka, Topics.LEDGER_TRANSACTIONS, otherPayeeBytes, OUTCOMES_GROUP, TIMEOUT);
        DeadLetters.awaitDeadLetter(kafka, Topics.FRAUD_DECISIONS, approvalWithoutId, OUTCOMES_GROUP, TIMEOUT);
        DeadLetters.awaitDeadLetter(kafka, Topics.FRAUD_DECISIONS, rejectionOfInvalidPayment, OUTCOMES_GROUP, TIMEOUT);
        assertThat(api.get("/v1/payments/" + pending).json().get("status").asText()).isEqualTo("PENDING");
    }

    private JsonNode awaitStatus(String paymentId, String status) {
        await().atMost(TIMEOUT).until(() -> api.get("/v1/payments/" + paymentId).json().get("status").asText()
                .equals(status));
        return api.get("/v1/payments/" + paymentId).json();
    }

    private FraudDecision decision(String paymentId, FraudVerdict verdict, List<String> reasons) {
        PaymentInitiated payment = PaymentInitiated.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setPaymentId(paymentId).setSourceAccountId(alice)
                .setDestinationAccountId(bob).setAmountMinor(100).setCurrency("USD").setReference(null).build();
        return FraudDecision.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setPaymentId(paymentId).setVerdict(verdict).setReasons(reasons).setPayment(payment).build();
    }

    private void sendOutcome(SpecificRecord outcome) {
        send(Topics.LEDGER_TRANSACTIONS.name(), alice,
                Topics.LEDGER_TRANSACTIONS.valueSerde(SERDE).serializer().serialize("t", outcome));
    }

    private static byte[] commandBytes(String commandId, String from, String to, long amountMinor) {
        return commandBytes(commandId, from, to, amountMinor, null);
    }

    private static byte[] commandBytes(String commandId, String from, String to, long amountMinor, String reference) {
        return COMMANDS.valueSerde(SERDE).serializer().serialize("t", InitiatePayment.newBuilder()
                .setCommandId(commandId).setSourceAccountId(from).setDestinationAccountId(to).setAmountMinor(amountMinor)
                .setCurrency("USD").setReference(reference).setRequestedAt(Instant.now()).build());
    }

    private void send(String topic, String key, byte[] value) {
        kafka.send(topic, key, value, Map.of());
    }
}
