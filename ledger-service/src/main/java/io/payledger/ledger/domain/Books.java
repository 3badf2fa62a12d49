package io.payledger.ledger.domain;

import java.util.function.Function;

/** The books as the domain needs them: units of work that commit whole or not at all. */
public interface Books {

    /**
     * Runs {@code work} in one SERIALIZABLE transaction and commits it. When the database reports a
     * serialization failure or deadlock the whole unit is run again from the start, so {@code work}
     * must only read and write through the unit it is given.
     */
    <T> T transact(Function<BooksUnitOfWork, T> work);
}
