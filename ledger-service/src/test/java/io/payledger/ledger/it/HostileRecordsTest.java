package io.payledger.ledger.it;

import static io.payledger.ledger.it.LedgerTestSupport.approved;
import static io.payledger.ledger.it.LedgerTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.books.BooksVerifier;
import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.DeadLetterHeaders;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.DeadLetters;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Records that decode but must not be applied as they stand, written to {@code payments.fraud-decisions}
 * by someone outside the platform, next to valid ones. Each hostile record gets its documented outcome
 * (declined with a reason, or dead-lettered), and the valid records around it post: after it on the
 * same partition, and on another partition of the same poll.
 */
@LedgerIntegrationTest
class HostileRecordsTest {

    private static final SerdeSettings SERDE = SerdeSettings.singleObjectEncoding();
    private static final Serializer<FraudDecision> DECISIONS = Topics.FRAUD_DECISIONS.valueSerde(SERDE).serializer();
    private static final int PARTITIONS = 12;
    /** Just under a producer's default request size, so the broker takes it. */
    private static final int ONE_MEGABYTE_OF_REFERENCE = (1 << 20) - 4096;

    @LocalServerPort
    int port;
    @Autowired
    @Qualifier("fraudDecisionContainer")
    MessageListenerContainer container;
    @Autowired
    MeterRegistry meters;

    private LedgerTestSupport ledger;
    private Jdbi books;
    private String settlement;
    private String alice;
    private String bob;

    @BeforeEach
    void openAndFundAccounts() {
        ledger = new LedgerTestSupport(port);
        books = LedgerTestSupport.books(SharedInfrastructure.postgres().jdbcUrl(),
                SharedInfrastructure.postgres().username(), SharedInfrastructure.postgres().password());
        settlement = unique("settlement");
        alice = unique("alice");
        bob = unique("bob");
        ledger.openAccount(settlement, "USD", "SYSTEM");
        ledger.openAccount(alice, "USD", "CUSTOMER");
        ledger.openAccount(bob, "USD", "CUSTOMER");
        String funding = UUID.randomUUID().toString();
        ledger.send(approved(funding, settlement, alice, 1_000_000, "USD"));
        ledger.outcomesFor(funding);
    }

    /** A hostile record and the outcome the contract gives it. */
    private record Hostile(String what, String paymentId, byte[] value, Map<String, String> headers, Outcome outcome) {
    }

    private interface Outcome {
    }

    private record Declined(String reason) implements Outcome {
    }

    private record DeadLettered() implements Outcome {
    }

    private record Posted() implements Outcome {
    }

    @Test
    void everyHostileRecordGetsItsOutcomeAndTheValidRecordsAroundItPost() {
        // Given hostile approved decisions, each followed on its partition by a valid payment, and a valid
        // payment on the next partition, all written while the ledger is not consuming (so one poll holds them)
        List<Hostile> hostile = hostileRecords();
        List<String> valid = new ArrayList<>();
        container.stop();
        try {
            for (int i = 0; i < hostile.size(); i++) {
                Hostile record = hostile.get(i);
                int partition = i % PARTITIONS;
                ledger.kafka.send(Topics.FRAUD_DECISIONS.name(), partition, alice, record.value(), record.headers());
                valid.add(sendValid(partition, 100 + i));
                valid.add(sendValid((partition + 1) % PARTITIONS, 200 + i));
            }
        } finally {
            // When the ledger consumes again
            container.start();
        }

        // Then every valid payment posts
        List<String> expectedOutcomes = new ArrayList<>(valid);
        hostile.stream().filter(h -> !(h.outcome() instanceof DeadLettered)).map(Hostile::paymentId)
                .forEach(expectedOutcomes::add);
        List<SpecificRecord> outcomes = ledger.outcomesFor(expectedOutcomes.toArray(String[]::new));
        Map<String, SpecificRecord> byPayment = new HashMap<>();
        outcomes.forEach(outcome -> byPayment.put(LedgerTestSupport.paymentIdOf(outcome), outcome));
        assertThat(valid).allSatisfy(id -> assertThat(byPayment.get(id)).isInstanceOf(TransactionPosted.class));

        // And each hostile record has its documented outcome, and a declined one is served over HTTP
        for (Hostile record : hostile) {
            if (record.outcome() instanceof Declined declined) {
                assertThat(byPayment.get(record.paymentId())).as(record.what())
                        .isInstanceOfSatisfying(TransactionDeclined.class,
                                d -> assertThat(d.getReason()).as(record.what()).isEqualTo(declined.reason()));
                assertThat(ledger.api.get("/v1/transactions/" + record.paymentId()).status())
                        .as("GET of the declined %s", record.what()).isEqualTo(200);
            } else if (record.outcome() instanceof Posted) {
                assertThat(byPayment.get(record.paymentId())).as(record.what()).isInstanceOf(TransactionPosted.class);
            } else {
                DeadLetters.awaitDeadLetter(ledger.kafka, Topics.FRAUD_DECISIONS, record.value(), "ledger-service",
                        LedgerTestSupport.TIMEOUT);
            }
        }

        // And exactly the valid payments moved money, and the books hold
        long postedToBob = 0;
        for (int i = 0; i < hostile.size(); i++) {
            postedToBob += 100 + i + 200 + i;
        }
        postedToBob += hostile.stream().filter(h -> h.outcome() instanceof Posted).count();
        assertThat(ledger.balance(bob)).isEqualTo(postedToBob);
        assertThat(ledger.balance(alice)).isEqualTo(1_000_000 - postedToBob);
        assertThat(new BooksVerifier(books).verify().holds()).isTrue();
    }

    @Test
    void anUnexpectedFailureOfOneRecordInABatchOfTwoThousandAppliesTheOtherNineteenNinetyNine() {
        // Given the database fails, in a way no rule foresaw, to post one particular payment
        String bomb = "bomb-" + UUID.randomUUID();
        books.useHandle(handle -> {
            handle.execute("""
                    CREATE OR REPLACE FUNCTION explode_on_posting() RETURNS trigger AS $$
                    BEGIN
                      RAISE EXCEPTION 'unexpected failure for %', NEW.reference;
                    END $$ LANGUAGE plpgsql""");
            handle.execute("CREATE TRIGGER explode_on_posting BEFORE INSERT ON transactions FOR EACH ROW "
                    + "WHEN (NEW.status = 'POSTED' AND NEW.reference = '" + bomb + "') "
                    + "EXECUTE FUNCTION explode_on_posting()");
        });
        double splitsBefore = meters.counter("ledger.batch.splits").count();
        List<String> payments = new ArrayList<>();
        String failing = UUID.randomUUID().toString();
        byte[] failingValue = null;
        try {
            // When 2,000 payments arrive in one batch, the 1,000th of them that one
            container.stop();
            try {
                for (int i = 0; i < 2_000; i++) {
                    if (i == 999) {
                        failingValue = serialize(decision(failing, alice, bob, 1, "USD", bomb, p -> { }));
                        ledger.kafka.send(Topics.FRAUD_DECISIONS.name(), 0, alice, failingValue,
                                Map.of("payment-id", failing));
                    } else {
                        payments.add(sendValid(0, 1));
                    }
                }
            } finally {
                container.start();
            }

            // Then the other 1,999 post, in a batch that was split to find the one
            List<SpecificRecord> outcomes = ledger.outcomesFor(payments.toArray(String[]::new));
            assertThat(outcomes).hasSize(1_999).allSatisfy(o -> assertThat(o).isInstanceOf(TransactionPosted.class));
            assertThat(meters.counter("ledger.batch.splits").count()).isGreaterThan(splitsBefore);

            // And the one is dead-lettered with its error, and declined so that it reaches a final state
            ConsumerRecord<byte[], byte[]> dead = DeadLetters.awaitDeadLetter(ledger.kafka, Topics.FRAUD_DECISIONS,
                    failingValue, "ledger-service", LedgerTestSupport.TIMEOUT);
            assertThat(KafkaTestClient.header(dead, DeadLetterHeaders.ERROR_MESSAGE)).hasValueSatisfying(
                    message -> assertThat(message).contains("unexpected failure for " + bomb));
            assertThat(ledger.outcomesFor(failing)).singleElement().isInstanceOfSatisfying(TransactionDeclined.class,
                    declined -> assertThat(declined.getReason()).isEqualTo("UNPROCESSABLE"));
        } finally {
            books.useHandle(handle -> handle.execute("DROP TRIGGER explode_on_posting ON transactions"));
        }
        assertThat(ledger.balance(bob)).isEqualTo(1_999);
        assertThat(new BooksVerifier(books).verify().holds()).isTrue();
    }

    private String sendValid(int partition, long amountMinor) {
        String paymentId = UUID.randomUUID().toString();
        ledger.kafka.send(Topics.FRAUD_DECISIONS.name(), partition, alice,
                serialize(approved(paymentId, alice, bob, amountMinor, "USD")), Map.of("payment-id", paymentId));
        return paymentId;
    }

    private List<Hostile> hostileRecords() {
        List<Hostile> records = new ArrayList<>();
        declined(records, "a four-letter currency", "INVALID_INSTRUCTION", id -> decision(id, alice, bob, 1, "USDX"));
        declined(records, "a currency without minor unit", "INVALID_INSTRUCTION", id -> decision(id, alice, bob, 1, "XXX"));
        declined(records, "a NUL in the source account", "INVALID_INSTRUCTION",
                id -> decision(id, alice + "\u0000", bob, 1, "USD"));
        declined(records, "a line break in the destination", "INVALID_INSTRUCTION",
                id -> decision(id, alice, bob + "\nforged log line", 1, "USD"));
        declined(records, "a 10 kB account ID", "INVALID_INSTRUCTION",
                id -> decision(id, alice, "b".repeat(10_000), 1, "USD"));
        declined(records, "empty strings", "INVALID_INSTRUCTION", id -> decision(id, "", "", 1, ""));
        declined(records, "a 1 MB reference", "INVALID_INSTRUCTION",
                id -> decision(id, alice, bob, 1, "USD", "r".repeat(ONE_MEGABYTE_OF_REFERENCE), p -> { }));
        declined(records, "a NUL in the reference", "INVALID_INSTRUCTION",
                id -> decision(id, alice, bob, 1, "USD", "lunch\u0000", p -> { }));
        declined(records, "a negative amount", "INVALID_AMOUNT", id -> decision(id, alice, bob, -500, "USD"));
        declined(records, "a zero amount", "INVALID_AMOUNT", id -> decision(id, alice, bob, 0, "USD"));
        declined(records, "an amount that overflows a balance", "INVALID_AMOUNT",
                id -> decision(id, settlement, bob, Long.MAX_VALUE, "USD"));
        declined(records, "the same account twice", "SAME_ACCOUNT", id -> decision(id, alice, alice, 1, "USD"));
        declined(records, "a currency neither account holds", "CURRENCY_MISMATCH",
                id -> decision(id, alice, bob, 1, "EUR"));
        declined(records, "an unknown account", "UNKNOWN_ACCOUNT", id -> decision(id, alice, unique("nobody"), 1, "USD"));
        posted(records, "a payment made at the epoch", id -> decision(id, alice, bob, 1, "USD", null,
                p -> p.setOccurredAt(Instant.EPOCH)));
        posted(records, "a payment made in year 9999", id -> decision(id, alice, bob, 1, "USD", null,
                p -> p.setOccurredAt(Instant.parse("9999-12-31T23:59:59Z"))));
        String forgedTrace = UUID.randomUUID().toString();
        records.add(new Hostile("a NUL and a line break in the trace-id header", forgedTrace,
                serialize(decision(forgedTrace, alice, bob, 1, "USD")),
                Map.of("payment-id", forgedTrace, "trace-id", "abc\u0000def\nINFO forged"), new Posted()));
        deadLettered(records, "a payment ID that is no UUID", decision("not-a-uuid", alice, bob, 1, "USD"));
        FraudDecision mismatched = FraudDecision.newBuilder(decision(UUID.randomUUID().toString(), alice, bob, 1, "USD"))
                .setPaymentId(UUID.randomUUID().toString()).build();
        deadLettered(records, "a decision about another payment than it carries", mismatched);
        records.add(new Hostile("an unknown verdict symbol", "-", unknownVerdict(), Map.of(), new DeadLettered()));
        return records;
    }

    private static void declined(List<Hostile> records, String what, String reason,
                                 java.util.function.Function<String, FraudDecision> decision) {
        String id = UUID.randomUUID().toString();
        records.add(new Hostile(what, id, serialize(decision.apply(id)), Map.of("payment-id", id), new Declined(reason)));
    }

    private static void posted(List<Hostile> records, String what,
                               java.util.function.Function<String, FraudDecision> decision) {
        String id = UUID.randomUUID().toString();
        records.add(new Hostile(what, id, serialize(decision.apply(id)), Map.of("payment-id", id), new Posted()));
    }

    private static void deadLettered(List<Hostile> records, String what, FraudDecision decision) {
        records.add(new Hostile(what, decision.getPaymentId(), serialize(decision), Map.of(), new DeadLettered()));
    }

    private static FraudDecision decision(String paymentId, String from, String to, long amountMinor, String currency) {
        return decision(paymentId, from, to, amountMinor, currency, null, p -> { });
    }

    private static FraudDecision decision(String paymentId, String from, String to, long amountMinor, String currency,
                                          String reference, Consumer<PaymentInitiated.Builder> tweak) {
        PaymentInitiated.Builder payment = PaymentInitiated.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setPaymentId(paymentId).setSourceAccountId(from)
                .setDestinationAccountId(to).setAmountMinor(amountMinor).setCurrency(currency).setReference(reference);
        tweak.accept(payment);
        return FraudDecision.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setPaymentId(paymentId).setVerdict(FraudVerdict.APPROVED).setReasons(List.of())
                .setPayment(payment.build()).build();
    }

    /** A decision whose verdict is the enum's third symbol, which the schema does not have. */
    private byte[] unknownVerdict() {
        FraudDecision decision = decision(UUID.randomUUID().toString(), alice, bob, 1, "USD");
        byte[] approvedBytes = serialize(decision);
        byte[] rejectedBytes = serialize(FraudDecision.newBuilder(decision).setVerdict(FraudVerdict.REJECTED).build());
        // The encodings differ only in the verdict's index: 0 (zig-zag 0x00) and 1 (0x02). Index 2 is 0x04.
        for (int i = 0; i < approvedBytes.length; i++) {
            if (approvedBytes[i] != rejectedBytes[i]) {
                approvedBytes[i] = 0x04;
                return approvedBytes;
            }
        }
        throw new IllegalStateException("the verdict is not in the encoding");
    }

    private static byte[] serialize(FraudDecision decision) {
        return DECISIONS.serialize(Topics.FRAUD_DECISIONS.name(), decision);
    }
}
