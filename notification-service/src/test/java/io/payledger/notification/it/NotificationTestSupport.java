package io.payledger.notification.it;

import io.payledger.events.AccountState;
import io.payledger.schemas.serde.SerdeSettings;
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
import java.time.Instant;
import java.util.UUID;

/** notification-service's API as a client of the shared issuer calls it. */
final class NotificationTestSupport {

    /** The shared issuer's client with every scope, ops included: for tests not about ownership. */
    static final String OPERATOR = SharedIssuer.OPERATOR;
    static final String CLIENT_A = SharedIssuer.CLIENT_A;
    static final String CLIENT_B = SharedIssuer.CLIENT_B;

    private NotificationTestSupport() {
    }

    /** Each request with a token the shared issuer gave {@code clientId}. */
    static HttpApi api(int port, String clientId) {
        return new HttpApi("http://localhost:" + port, () -> SharedIssuer.token(clientId));
    }

    /**
     * The ledger's state of a USD CUSTOMER account of {@code owner}, as it publishes it on ledger.accounts, filed
     * under {@code key} (the account ID, unless a test misfiles it); the record's value.
     */
    static byte[] publishAccountState(KafkaTestClient kafka, String key, String accountId, String owner) {
        AccountState state = AccountState.newBuilder().setEventId(UUID.randomUUID().toString())
                .setAccountId(accountId).setCurrency("USD").setType("CUSTOMER").setOwner(owner).setStatus("OPEN")
                .setOpenedAt(Instant.now()).build();
        byte[] value = Topics.LEDGER_ACCOUNTS.valueSerde(SerdeSettings.singleObjectEncoding()).serializer()
                .serialize(Topics.LEDGER_ACCOUNTS.name(), state);
        kafka.send(Topics.LEDGER_ACCOUNTS.name(), key, value);
        return value;
    }

    /** Whether this service's copy of the accounts has the account, owner or not: nothing over HTTP says so. */
    static boolean copied(String accountId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SharedInfrastructure.postgres().jdbcUrl(),
                SharedInfrastructure.postgres().username(), SharedInfrastructure.postgres().password());
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM notification.account_owners WHERE account_id = ?")) {
            query.setString(1, accountId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() && rows.getLong(1) == 1;
            }
        }
    }
}
