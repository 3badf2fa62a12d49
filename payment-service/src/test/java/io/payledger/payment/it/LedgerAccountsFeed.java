package io.payledger.payment.it;

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
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!copied(accountId)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("payment-service's copy never learned account " + accountId);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
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
     * Holds the copy locked (ACCESS EXCLUSIVE) until closed: intake's account checks wait meanwhile, as a
     * slow read would. Close it well within the services' lock timeout.
     */
    static HeldCopy holdCopy() {
        try {
            Connection connection = connect();
            connection.setAutoCommit(false);
            try (Statement lock = connection.createStatement()) {
                lock.execute("LOCK TABLE payment.ledger_accounts IN ACCESS EXCLUSIVE MODE");
            }
            return new HeldCopy(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A lock on the copy; see {@link #holdCopy()}. */
    static final class HeldCopy implements AutoCloseable {
        private final Connection connection;

        private HeldCopy(Connection connection) {
            this.connection = connection;
        }

        /** Whether some session is waiting for the copy. */
        boolean someoneWaits() {
            try (Connection other = connect(); Statement query = other.createStatement();
                 ResultSet result = query.executeQuery("""
                         SELECT count(*) FROM pg_locks l JOIN pg_class c ON l.relation = c.oid
                          WHERE c.relname = 'ledger_accounts' AND NOT l.granted""")) {
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
