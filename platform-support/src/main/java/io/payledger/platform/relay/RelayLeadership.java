package io.payledger.platform.relay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One term of leadership of a relay name: a PostgreSQL session-level advisory lock, held on a
 * connection of its own for as long as this object is open.
 *
 * <p>Contract, for the one thread that leads:
 * <ul>
 *   <li>{@link #tryAcquire} returns a leadership only if no other session holds the name's lock; when
 *       it returns empty, nothing is left open.</li>
 *   <li>{@link #verify} while leading, as often as convenient: it checks the connection at most once per
 *       check interval and throws {@link LeadershipLostException} if the connection is gone. PostgreSQL
 *       frees a session's advisory locks when the session ends, so by then another instance may lead.</li>
 *   <li>{@link #close} to stand down, after a loss too: it unlocks and closes the connection.</li>
 * </ul>
 *
 * <p>A lost lock is noticed only at the next check, so two instances may briefly both believe they
 * lead. That is safe because the relay's name is also its Kafka transactional ID: the new leader's
 * {@code initTransactions} fences the old one before it publishes anything.
 */
final class RelayLeadership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayLeadership.class);

    private final Connection connection;
    private final String lockName;
    private final Duration checkInterval;
    private long checkedAt;

    private RelayLeadership(Connection connection, String lockName, Duration checkInterval) {
        this.connection = connection;
        this.lockName = lockName;
        this.checkInterval = checkInterval;
        this.checkedAt = System.nanoTime();
    }

    /** Leads relay {@code relayName} if no other session does; the lock is scoped to the data source's database. */
    static Optional<RelayLeadership> tryAcquire(DataSource dataSource, String relayName, Duration checkInterval)
            throws SQLException {
        String lockName = "relay:" + relayName;
        Connection connection = dataSource.getConnection();
        try {
            if (tryLock(connection, lockName)) {
                return Optional.of(new RelayLeadership(connection, lockName, checkInterval));
            }
        } catch (SQLException | RuntimeException e) {
            closeAfterFailure(connection, e);
            throw e;
        }
        connection.close();
        return Optional.empty();
    }

    /** Throws if the leadership connection has died since it was last checked. */
    void verify() throws LeadershipLostException {
        if (System.nanoTime() - checkedAt < checkInterval.toNanos()) {
            return;
        }
        try {
            if (!connection.isValid(5)) {
                throw new LeadershipLostException();
            }
        } catch (SQLException e) {
            throw new LeadershipLostException();
        }
        checkedAt = System.nanoTime();
    }

    @Override
    public void close() throws SQLException {
        try (connection) {
            try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
                unlock.setString(1, lockName);
                unlock.execute();
            } catch (SQLException e) {
                // Never hand a pooled connection that may still hold the lock back to the pool.
                log.debug("Could not release relay lock {}; discarding the connection", lockName, e);
                try {
                    connection.abort(Runnable::run);
                } catch (SQLException ignored) {
                    // The session, and with it the lock, is gone either way.
                }
            }
        }
    }

    private static boolean tryLock(Connection connection, String lockName) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            lock.setString(1, lockName);
            try (ResultSet result = lock.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private static void closeAfterFailure(Connection connection, Exception failure) {
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** The leadership connection is gone, and with it the lock: another instance may lead now. */
    static final class LeadershipLostException extends SQLException {

        LeadershipLostException() {
            super("lost the leadership connection");
        }
    }
}
