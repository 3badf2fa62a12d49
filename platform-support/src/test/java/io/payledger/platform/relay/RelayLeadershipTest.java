package io.payledger.platform.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.payledger.platform.relay.RelayLeadership.LeadershipLostException;
import io.payledger.testsupport.SharedInfrastructure;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Leadership of a relay name on a real database: one leader at a time, and a dead leader's lock passes on. */
class RelayLeadershipTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Check the connection on every verify, so a loss shows at once. */
    private static final Duration EVERY_TIME = Duration.ZERO;

    private final String relayName = "leadership-test-" + UUID.randomUUID();
    private final List<RelayLeadership> acquired = new ArrayList<>();
    private PGSimpleDataSource dataSource;

    @BeforeEach
    void freshDatabase() {
        String url = SharedInfrastructure.postgres().createDatabase(
                "leadership_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(SharedInfrastructure.postgres().username());
        dataSource.setPassword(SharedInfrastructure.postgres().password());
    }

    @AfterEach
    void standDownEveryLeader() throws SQLException {
        for (RelayLeadership leadership : acquired) {
            leadership.close();
        }
    }

    @Test
    void onlyOneInstanceLeadsARelayNameAtATime() throws SQLException {
        // Given one instance leading the relay
        RelayLeadership first = tryToLead(relayName).orElseThrow();

        // When another instance tries to lead the same relay, and a third a relay of another name
        Optional<RelayLeadership> second = tryToLead(relayName);
        Optional<RelayLeadership> otherRelay = tryToLead(relayName + "-other");

        // Then only the relay of another name leads too, and the first still leads
        assertThat(second).isEmpty();
        assertThat(otherRelay).isPresent();
        assertThatCode(first::verify).doesNotThrowAnyException();
    }

    @Test
    void whenTheLeaderStandsDownAnotherInstanceLeads() throws SQLException {
        // Given one instance leading and another refused
        RelayLeadership first = tryToLead(relayName).orElseThrow();
        assertThat(tryToLead(relayName)).isEmpty();

        // When the leader stands down
        standDown(first);

        // Then the other instance leads at its next try
        assertThat(tryToLead(relayName)).isPresent();
    }

    @Test
    void whenTheLeadersConnectionDiesAnotherTakesOverAndTheFirstNoticesItLostLeadership() throws SQLException {
        // Given one instance leading and another refused
        RelayLeadership first = tryToLead(relayName).orElseThrow();
        assertThat(tryToLead(relayName)).isEmpty();

        // When the leader's database session is terminated
        terminateTheSessionHoldingTheLock();

        // Then the other instance takes over
        RelayLeadership second = await().atMost(TIMEOUT)
                .until(() -> tryToLead(relayName), Optional::isPresent).orElseThrow();

        // And the first notices it lost leadership, and standing down after the loss harms nobody
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThatThrownBy(first::verify).isInstanceOf(LeadershipLostException.class));
        standDown(first);
        assertThatCode(second::verify).doesNotThrowAnyException();
        assertThat(tryToLead(relayName)).isEmpty();
    }

    private Optional<RelayLeadership> tryToLead(String name) throws SQLException {
        Optional<RelayLeadership> leadership = RelayLeadership.tryAcquire(dataSource, name, EVERY_TIME);
        leadership.ifPresent(acquired::add);
        return leadership;
    }

    private void standDown(RelayLeadership leadership) throws SQLException {
        acquired.remove(leadership);
        leadership.close();
    }

    /** Advisory locks are per database and this database is the test's own: the one holder is the leader. */
    private void terminateTheSessionHoldingTheLock() {
        long terminated = Jdbi.create(dataSource).withHandle(handle -> handle.createQuery("""
                        SELECT count(pg_terminate_backend(pid)) FROM pg_locks
                        WHERE locktype = 'advisory' AND granted
                          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""")
                .mapTo(Long.class).one());
        assertThat(terminated).isEqualTo(1);
    }
}
