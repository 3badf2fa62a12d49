package io.payledger.payment.it;

import io.payledger.commands.InitiatePayment;
import io.payledger.events.PaymentInitiated;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topic;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import io.payledger.testsupport.SharedIssuer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * payment-service on the shared broker, database and issuer, with no ledger-service: the ledger's accounts
 * reach it as the ledger publishes them, on ledger.accounts ({@link LedgerAccountsFeed}).
 * {@link #api} calls it as {@link SharedIssuer#CLIENT_A}, which owns {@link #alice}; {@link #bob} is
 * {@link SharedIssuer#CLIENT_B}'s. Over Kafka, {@link #COMMANDS} is client A's own command topic.
 */
@PaymentIntegrationTest
abstract class PaymentServiceTestBase {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final LedgerAccountsFeed LEDGER = new LedgerAccountsFeed();
    static final Deserializer<PaymentInitiated> INITIATED =
            Topics.PAYMENTS_INITIATED.valueSerde(SerdeSettings.singleObjectEncoding()).deserializer();

    static final String CLIENT_A = SharedIssuer.CLIENT_A;
    static final String CLIENT_B = SharedIssuer.CLIENT_B;
    static final String OPERATOR = SharedIssuer.OPERATOR;
    /** A Kafka producer that is no OAuth2 client: it owns accounts and pays out of them over Kafka only. */
    static final String PRODUCER_X = "producer-x";
    /** Client A as a Kafka producer: its principal has the same name as its OAuth2 client. */
    static final Topic<String, InitiatePayment> COMMANDS = Topics.paymentCommands(CLIENT_A);
    static final Topic<String, InitiatePayment> PRODUCER_X_COMMANDS = Topics.paymentCommands(PRODUCER_X);

    static {
        // The operator creates a producer's topics when onboarding it; here, before the service starts, so its
        // subscription finds them at once rather than at its next metadata refresh.
        try (KafkaTestClient admin = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers())) {
            for (Topic<String, InitiatePayment> commands : List.of(COMMANDS, PRODUCER_X_COMMANDS)) {
                admin.createTopics(3, commands.name(), commands.deadLetterTopic());
            }
        }
    }

    @LocalServerPort
    int port;

    /** payment-service's API as client A. */
    HttpApi api;
    final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());
    /** Client A's account. */
    String alice;
    /** Client B's account. */
    String bob;

    @BeforeEach
    void accounts() {
        api = as(CLIENT_A);
        alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        bob = "bob-" + UUID.randomUUID().toString().substring(0, 8);
        LEDGER.open(alice, "USD", CLIENT_A);
        LEDGER.open(bob, "USD", CLIENT_B);
    }

    /** payment-service's API as the given test client. */
    HttpApi as(String clientId) {
        return new HttpApi("http://localhost:" + port, () -> SharedIssuer.token(clientId));
    }

    HttpApi.Response pay(String key, String from, String to, String amount, String currency) {
        return pay(api, key, from, to, amount, currency);
    }

    static HttpApi.Response pay(HttpApi client, String key, String from, String to, String amount, String currency) {
        String body = HttpApi.toJson(Map.of("sourceAccountId", from, "destinationAccountId", to, "amount", amount,
                "currency", currency));
        return key == null ? client.post("/v1/payments", body)
                : client.post("/v1/payments", body, Map.of("Idempotency-Key", key));
    }

    /** PaymentInitiated events for the payment, once at least {@code expected} are on the topic. */
    List<ConsumerRecord<byte[], byte[]>> initiatedRecords(String paymentId, int expected) {
        return kafka.readUntil(Topics.PAYMENTS_INITIATED.name(), records -> records.stream()
                        .filter(r -> INITIATED.deserialize(r.topic(), r.value()).getPaymentId().equals(paymentId))
                        .count() >= expected, TIMEOUT).stream()
                .filter(r -> INITIATED.deserialize(r.topic(), r.value()).getPaymentId().equals(paymentId))
                .toList();
    }

    /** Every PaymentInitiated out of the account, read up to the event of {@code markerPaymentId}. */
    List<PaymentInitiated> initiatedFrom(String sourceAccountId, String markerPaymentId) {
        initiatedRecords(markerPaymentId, 1);
        return kafka.readAll(Topics.PAYMENTS_INITIATED.name()).stream()
                .map(r -> INITIATED.deserialize(r.topic(), r.value()))
                .filter(event -> event.getSourceAccountId().equals(sourceAccountId))
                .toList();
    }

    static long paymentsWithKey(String key) {
        return queryOne("SELECT count(*) FROM payment.payments WHERE idempotency_key = ?", key, row -> row.getLong(1));
    }

    /** Payments recorded from the account, however they arrived: zero proves a refusal recorded nothing. */
    static long paymentsFrom(String sourceAccountId) {
        return queryOne("SELECT count(*) FROM payment.payments WHERE source_account_id = ?", sourceAccountId,
                row -> row.getLong(1));
    }

    /** The client a payment belongs to, as recorded. */
    static String ownerOfPaymentWithKey(String key) {
        return queryOne("SELECT client_id FROM payment.payments WHERE idempotency_key = ?", key, row -> row.getString(1));
    }

    static String paymentIdOfPaymentWithKey(String key) {
        return queryOne("SELECT payment_id::text FROM payment.payments WHERE idempotency_key = ?", key,
                row -> row.getString(1));
    }

    static String traceIdOfPaymentWithKey(String key) {
        return queryOne("SELECT trace_id FROM payment.payments WHERE idempotency_key = ?", key, row -> row.getString(1));
    }

    private interface Column<T> {
        T read(ResultSet row) throws SQLException;
    }

    private static <T> T queryOne(String sql, String parameter, Column<T> column) {
        try (Connection connection = DriverManager.getConnection(SharedInfrastructure.postgres().jdbcUrl(),
                SharedInfrastructure.postgres().username(), SharedInfrastructure.postgres().password());
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet result = query.executeQuery()) {
                if (!result.next()) {
                    throw new AssertionError("no row for " + sql + " with " + parameter);
                }
                return column.read(result);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
