package io.payledger.ledger.it;

import static io.payledger.ledger.it.LedgerTestSupport.CLIENT_A;
import static io.payledger.ledger.it.LedgerTestSupport.TIMEOUT;
import static io.payledger.ledger.it.LedgerTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.events.AccountState;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.HttpApi;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import io.payledger.ledger.persistence.JournalReader;
import io.payledger.platform.relay.RelayPosition;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Opening an account publishes its state on ledger.accounts, keyed by account ID, through the journal
 * relay: once per opening, never for a repeated one. And the ledger's database work has time limits.
 */
@LedgerIntegrationTest
class AccountStateEventsTest {

    private static final Deserializer<AccountState> STATES =
            Topics.LEDGER_ACCOUNTS.valueSerde(SerdeSettings.singleObjectEncoding()).deserializer();

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    private LedgerTestSupport ledger;
    private HttpApi clientA;

    @BeforeEach
    void clients() {
        ledger = new LedgerTestSupport(port);
        clientA = LedgerTestSupport.api(port, CLIENT_A);
    }

    @Test
    void openingAnAccountPublishesItsStateOnceKeyedByItsId() {
        // Given client A opens an account
        String account = unique("acc");
        HttpApi.Response opened = clientA.post("/v1/accounts", body(account));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);

        // When it opens it again (a retried request), and then another account
        HttpApi.Response again = clientA.post("/v1/accounts", body(account));
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        String later = unique("later");
        assertThat(clientA.post("/v1/accounts", body(later)).status()).isEqualTo(201);

        // Then, once the later account's state is out (the relay publishes in commit order, so anything
        // the retry published would be out before it), the first account has exactly one state on the topic
        List<ConsumerRecord<byte[], byte[]>> records = ledger.kafka.readUntil(Topics.LEDGER_ACCOUNTS.name(),
                read -> read.stream().anyMatch(r -> keyOf(r).equals(later)), TIMEOUT);
        List<ConsumerRecord<byte[], byte[]>> mine = records.stream().filter(r -> keyOf(r).equals(account)).toList();
        assertThat(mine).hasSize(1);
        AccountState state = STATES.deserialize(Topics.LEDGER_ACCOUNTS.name(), mine.get(0).value());
        assertThat(state.getAccountId()).isEqualTo(account);
        assertThat(state.getCurrency()).isEqualTo("USD");
        assertThat(state.getType()).isEqualTo("CUSTOMER");
        assertThat(state.getOwner()).isEqualTo(CLIENT_A);
        assertThat(state.getStatus()).isEqualTo("OPEN");
        assertThat(state.getOpenedAt()).isNotNull();
        assertThat(state.getEventId()).isNotBlank();
    }

    @Test
    void theRelaysBacklogIsTheJournalRowsAfterItsPosition() {
        // Given the journal's last row now
        Jdbi jdbi = Jdbi.create(dataSource);
        RelayPosition last = jdbi.withHandle(h -> h.createQuery("""
                        SELECT journal_xid::text::bigint AS xid, journal_ordinal FROM (
                            SELECT journal_xid, journal_ordinal::bigint FROM transactions
                            UNION ALL SELECT journal_xid, journal_ordinal FROM accounts) journal
                         ORDER BY journal_xid DESC, journal_ordinal DESC LIMIT 1""")
                .map((rs, ctx) -> new RelayPosition(rs.getLong("xid"), rs.getLong("journal_ordinal"))).one());
        JournalReader journal = new JournalReader(jdbi);
        assertThat(journal.countAfter(last)).isZero();

        // When two accounts are opened
        assertThat(clientA.post("/v1/accounts", body(unique("backlog"))).status()).isEqualTo(201);
        assertThat(clientA.post("/v1/accounts", body(unique("backlog"))).status()).isEqualTo(201);

        // Then they are the two rows after that position, and everything counts from the start
        assertThat(journal.countAfter(last)).isEqualTo(2);
        assertThat(journal.countAfter(RelayPosition.START)).isGreaterThan(2);
    }

    @Test
    void theDatabaseWorkHasAStatementAndALockTimeout() {
        // Given the ledger's own data source, when a connection says what its limits are
        Jdbi jdbi = Jdbi.create(dataSource);
        String statementTimeout = jdbi.withHandle(h -> h.createQuery("SHOW statement_timeout").mapTo(String.class).one());
        String lockTimeout = jdbi.withHandle(h -> h.createQuery("SHOW lock_timeout").mapTo(String.class).one());

        // Then they are the platform defaults, not PostgreSQL's "0" (no limit)
        assertThat(statementTimeout).isEqualTo("30s");
        assertThat(lockTimeout).isEqualTo("10s");
    }

    private static String keyOf(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    }

    private static String body(String accountId) {
        return "{\"accountId\":\"" + accountId + "\",\"currency\":\"USD\",\"type\":\"CUSTOMER\"}";
    }
}
