package io.payledger.platform.messaging;

import io.payledger.schemas.serde.SchemaRegistryUnavailableException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells a failure of the infrastructure, which passes (the database or broker is unreachable, busy or
 * restarting; a serialization conflict), from a failure that follows a record wherever it goes.
 * Transient failures keep a consumer's records unacknowledged until they can be applied; anything else
 * is isolated to the records that cause it. When in doubt about a failure of the database itself
 * rather than of the data, this says transient: holding a partition is loud and safe, skipping a
 * payment is not.
 */
public final class TransientFailures {

    /**
     * SQLSTATE classes that say nothing about the data: connection (08), insufficient resources (53),
     * operator intervention (57: shutdown, cancel), system errors (58), serialization failure and
     * deadlock (40), lock not available and object in use (55), access rules and missing objects
     * after a bad deployment (42, 3F, 28), feature not supported (0A) and internal errors (XX).
     */
    private static final Set<String> INFRASTRUCTURE_SQL_CLASSES =
            Set.of("08", "53", "57", "58", "40", "55", "42", "3F", "28", "0A", "XX");

    private TransientFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && isInfrastructure(sql)) {
                return true;
            }
            if (t instanceof RetriableException || t instanceof org.apache.kafka.common.errors.InterruptException
                    || t instanceof RetryLaterException || t instanceof SchemaRegistryUnavailableException
                    || t instanceof DeadLetterUnavailableException
                    || t instanceof IOException || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isInfrastructure(SQLException sql) {
        if (sql instanceof SQLTransientException || sql instanceof SQLRecoverableException
                || sql instanceof SQLNonTransientConnectionException) {
            return true;
        }
        String state = sql.getSQLState();
        return state != null && state.length() >= 2 && INFRASTRUCTURE_SQL_CLASSES.contains(state.substring(0, 2));
    }
}
