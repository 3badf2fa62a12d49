package io.payledger.payment.it;

import io.payledger.events.PaymentInitiated;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** payment-service on the shared broker and database, with a stand-in for the ledger's accounts API. */
@PaymentIntegrationTest
abstract class PaymentServiceTestBase {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final FakeLedgerAccounts LEDGER = new FakeLedgerAccounts();
    static final Deserializer<PaymentInitiated> INITIATED =
            Topics.PAYMENTS_INITIATED.valueSerde(SerdeSettings.singleObjectEncoding()).deserializer();

    @DynamicPropertySource
    static void ledgerAccounts(DynamicPropertyRegistry registry) {
        registry.add("payledger.ledger-url", LEDGER::url);
    }

    @LocalServerPort
    int port;

    HttpApi api;
    final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());
    String alice;
    String bob;

    @BeforeEach
    void accounts() {
        api = new HttpApi("http://localhost:" + port);
        LEDGER.down(false);
        alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        bob = "bob-" + UUID.randomUUID().toString().substring(0, 8);
        LEDGER.open(alice, "USD");
        LEDGER.open(bob, "USD");
    }

    HttpApi.Response pay(String key, String from, String to, String amount, String currency) {
        String body = HttpApi.toJson(Map.of("sourceAccountId", from, "destinationAccountId", to, "amount", amount,
                "currency", currency));
        return key == null ? api.post("/v1/payments", body) : api.post("/v1/payments", body, Map.of("Idempotency-Key", key));
    }

    /** PaymentInitiated events for the payment, once at least {@code expected} are on the topic. */
    List<ConsumerRecord<byte[], byte[]>> initiatedRecords(String paymentId, int expected) {
        return kafka.readUntil(Topics.PAYMENTS_INITIATED.name(), records -> records.stream()
                        .filter(r -> INITIATED.deserialize(r.topic(), r.value()).getPaymentId().equals(paymentId))
                        .count() >= expected, TIMEOUT).stream()
                .filter(r -> INITIATED.deserialize(r.topic(), r.value()).getPaymentId().equals(paymentId))
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
