package io.payledger.ledger.persistence;

/**
 * Every attempt of a unit of work hit a serialization failure or deadlock. Transient by nature: the
 * work was not applied and must be tried again later, never skipped.
 */
public class RetriesExhaustedException extends RuntimeException {

    public RetriesExhaustedException(int attempts, String sqlState, Throwable lastFailure) {
        super("gave up after " + attempts + " attempts, each aborted with SQLSTATE " + sqlState, lastFailure);
    }
}
