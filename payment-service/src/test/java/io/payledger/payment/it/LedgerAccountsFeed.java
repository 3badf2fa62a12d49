package io.payledger.payment.it;

import static org.awaitility.Awaitility.await;

import io.payledger.events.AccountState;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import io.payledger.testsupport.SharedIssuer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Stands in for ledger-service where payment-service meets it: the account states it publishes on
 * {@code ledger.accounts}, which payment-service copies and checks payments against. ledger-service itself
 * is exercised end to end in the local-stack tests.
 */
final class LedgerAccountsFeed {

    private static final Serializer<AccountState> STATES =
            Topics.LEDGER_ACCOUNTS.valueSerde(SerdeSettings.singleObjectEncoding()).serializer();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());

    /** A CUSTOMER account of {@code owner} (null: one opened before accounts had owners), once the copy has it. */
    void open(String accountId, String currency, String owner) {
        publish(accountId, currency, "CUSTOMER", owner);
        awaitCopied(accountId);
    }

    /** A SYSTEM account (settlement, funding), opened by an operator, once the copy has it. */
    void openSystem(String accountId, String currency) {
        publish(accountId, currency, "SYSTEM", SharedIssuer.OPERATOR);
        awaitCopied(accountId);
    }

    /** The ledger's event for a newly opened account, without waiting for payment-service to copy it. */
    void publish(String accountId, String currency, String type, String owner) {
        AccountState state = AccountState.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAccountId(accountId)
                .setCurrency(currency)
                .setType(type)
                .setOwner(owner)
                .setStatus("OPEN")
                .setOpenedAt(Instant.now())
                .build();
        kafka.send(Topics.LEDGER_ACCOUNTS.name(), accountId, STATES.serialize(Topics.LEDGER_ACCOUNTS.name(), state));
    }

    /** Waits until payment-service's copy has the account. */
    void awaitCopied(String accountId) {
        await("payment-service's copy learns account " + accountId).atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(20)).until(() -> copied(accountId));
    }

    static boolean copied(String accountId) {
        try (Connection connection = connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM payment.ledger_accounts WHERE account_id = ?")) {
            query.setString(1, accountId);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1) == 1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Holds the payments table against writes (EXCLUSIVE: reads go on) until closed: a request that has
     * claimed its key waits to record its payment meanwhile, as a slow write would.
     */
    static HeldCopy holdPaymentWrites() {
        return hold("payments", "EXCLUSIVE");
    }

    private static HeldCopy hold(String table, String mode) {
        try {
            Connection connection = connect();
            connection.setAutoCommit(false);
            try (Statement lock = connection.createStatement()) {
                lock.execute("LOCK TABLE payment." + table + " IN " + mode + " MODE");
            }
            return new HeldCopy(connection, table);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A table lock; see {@link #holdPaymentWrites()}. */
    static final class HeldCopy implements AutoCloseable {
        private final Connection connection;
        private final String table;

        private HeldCopy(Connection connection, String table) {
            this.connection = connection;
            this.table = table;
        }

        /** Whether some session is waiting for the copy. */
        boolean someoneWaits() {
            try (Connection other = connect(); Statement query = other.createStatement();
                 ResultSet result = query.executeQuery("""
                         SELECT count(*) FROM pg_locks l JOIN pg_class c ON l.relation = c.oid
                          WHERE c.relname = '%s' AND NOT l.granted""".formatted(table))) {
                result.next();
                return result.getLong(1) > 0;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            try (connection) {
                connection.rollback();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(SharedInfrastructure.postgres().jdbcUrl(),
                SharedInfrastructure.postgres().username(), SharedInfrastructure.postgres().password());
    }
}
