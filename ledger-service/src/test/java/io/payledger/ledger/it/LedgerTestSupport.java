package io.payledger.ledger.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.events.EntryPosted;
import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import io.payledger.testsupport.SharedIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.postgresql.ds.PGSimpleDataSource;

/** Drives ledger-service the way the platform does: fraud decisions in, ledger events out. */
final class LedgerTestSupport {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final SerdeSettings SERDE = SerdeSettings.singleObjectEncoding();
    private static final Serializer<FraudDecision> DECISIONS = Topics.FRAUD_DECISIONS.valueSerde(SERDE).serializer();
    private static final Deserializer<SpecificRecord> OUTCOMES = Topics.LEDGER_TRANSACTIONS.valueSerde(SERDE).deserializer();
    private static final Deserializer<EntryPosted> ENTRIES = Topics.LEDGER_ENTRIES.valueSerde(SERDE).deserializer();

    /** The shared issuer's client with every scope, ops and funding included: for tests not about ownership. */
    static final String OPERATOR = SharedIssuer.OPERATOR;
    static final String CLIENT_A = SharedIssuer.CLIENT_A;
    static final String CLIENT_B = SharedIssuer.CLIENT_B;

    final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());
    final HttpApi api;

    /** The ledger at {@code port}, called as the operator. */
    LedgerTestSupport(int port) {
        this.api = api(port, OPERATOR);
    }

    /** The ledger's API as {@code clientId} calls it: each request with a token the shared issuer gave it. */
    static HttpApi api(int port, String clientId) {
        return new HttpApi("http://localhost:" + port, () -> SharedIssuer.token(clientId));
    }

    /** The header {@link io.payledger.testsupport.RawHttp} sends for {@code clientId}. */
    static String authorization(String clientId) {
        return "Authorization: Bearer " + SharedIssuer.token(clientId);
    }

    /**
     * Command-line arguments that make a ledger started on its own (not through {@code @LedgerIntegrationTest}
     * or {@link SharedInfrastructure#serviceProperties()}) trust the shared issuer's tokens.
     */
    static List<String> securityArguments() {
        List<String> arguments = new ArrayList<>();
        SharedIssuer.resourceServerProperties().forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return arguments;
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    void openAccount(String accountId, String currency, String type) {
        HttpApi.Response response = api.post("/v1/accounts",
                HttpApi.toJson(Map.of("accountId", accountId, "currency", currency, "type", type)));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    long balance(String accountId) {
        return api.get("/v1/accounts/" + accountId).json().get("balanceMinor").asLong();
    }

    static FraudDecision decision(String paymentId, String from, String to, long amountMinor, String currency,
                                  FraudVerdict verdict) {
        PaymentInitiated payment = PaymentInitiated.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setPaymentId(paymentId).setSourceAccountId(from)
                .setDestinationAccountId(to).setAmountMinor(amountMinor).setCurrency(currency).setReference(null).build();
        return FraudDecision.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setPaymentId(paymentId).setVerdict(verdict)
                .setReasons(verdict == FraudVerdict.APPROVED ? List.of() : List.of("AMOUNT_OVER_LIMIT"))
                .setPayment(payment).build();
    }

    static FraudDecision approved(String paymentId, String from, String to, long amountMinor, String currency) {
        return decision(paymentId, from, to, amountMinor, currency, FraudVerdict.APPROVED);
    }

    void send(FraudDecision decision) {
        kafka.send(Topics.FRAUD_DECISIONS.name(), decision.getPayment().getSourceAccountId(),
                DECISIONS.serialize(Topics.FRAUD_DECISIONS.name(), decision), Map.of("payment-id", decision.getPaymentId()));
    }

    /** Outcome events on ledger.transactions for these payments, once each has at least one. */
    List<SpecificRecord> outcomesFor(String... paymentIds) {
        return outcomes(records -> decodeOutcomes(records).stream().map(LedgerTestSupport::paymentIdOf)
                .collect(java.util.stream.Collectors.toSet()).containsAll(List.of(paymentIds)), paymentIds);
    }

    List<SpecificRecord> outcomes(Predicate<List<ConsumerRecord<byte[], byte[]>>> until, String... paymentIds) {
        List<String> ids = List.of(paymentIds);
        return decodeOutcomes(kafka.readUntil(Topics.LEDGER_TRANSACTIONS.name(), until, TIMEOUT)).stream()
                .filter(outcome -> ids.contains(paymentIdOf(outcome))).toList();
    }

    /** Every outcome currently on the topic for the payment. */
    List<SpecificRecord> allOutcomesFor(String paymentId) {
        return decodeOutcomes(kafka.readAll(Topics.LEDGER_TRANSACTIONS.name())).stream()
                .filter(outcome -> paymentIdOf(outcome).equals(paymentId)).toList();
    }

    List<EntryPosted> entriesFor(String paymentId, int expected) {
        Predicate<List<ConsumerRecord<byte[], byte[]>>> enough = records -> decodeEntries(records).stream()
                .filter(e -> e.getPaymentId().equals(paymentId)).count() >= expected;
        return decodeEntries(kafka.readUntil(Topics.LEDGER_ENTRIES.name(), enough, TIMEOUT)).stream()
                .filter(e -> e.getPaymentId().equals(paymentId)).toList();
    }

    List<EntryPosted> allEntriesFor(String paymentId) {
        return decodeEntries(kafka.readAll(Topics.LEDGER_ENTRIES.name())).stream()
                .filter(e -> e.getPaymentId().equals(paymentId)).toList();
    }

    static List<SpecificRecord> decodeOutcomes(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> OUTCOMES.deserialize(r.topic(), r.value())).toList();
    }

    static List<EntryPosted> decodeEntries(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> ENTRIES.deserialize(r.topic(), r.value())).toList();
    }

    /** The ledger's schema in the database at {@code jdbcUrl}, read directly, for the books' own state. */
    static Jdbi books(String jdbcUrl, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        dataSource.setCurrentSchema("ledger");
        return Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    }

    static long balanceIn(Jdbi books, String account) {
        return books.withHandle(h -> h.createQuery("SELECT balance_minor FROM accounts WHERE account_id = :id")
                .bind("id", account).mapTo(Long.class).one());
    }

    /** Opens a USD account over the ledger's HTTP API. */
    static void openUsdAccount(HttpApi api, String id, String type) {
        assertThat(api.post("/v1/accounts", "{\"accountId\":\"" + id + "\",\"currency\":\"USD\",\"type\":\"" + type
                + "\"}").status()).isEqualTo(201);
    }

    static String paymentIdOf(SpecificRecord outcome) {
        return String.valueOf(outcome.get(outcome.getSchema().getField("paymentId").pos()));
    }
}
