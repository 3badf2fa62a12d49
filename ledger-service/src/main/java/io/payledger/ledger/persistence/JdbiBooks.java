package io.payledger.ledger.persistence;

import io.payledger.ledger.domain.Books;
import io.payledger.ledger.domain.BooksUnitOfWork;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/** {@link Books} on PostgreSQL: every unit of work is one SERIALIZABLE transaction, retried whole. */
public final class JdbiBooks implements Books {

    private final Jdbi jdbi;
    private final SerializableRetry retry;

    public JdbiBooks(Jdbi jdbi, SerializableRetry retry) {
        this.jdbi = jdbi;
        this.retry = retry;
    }

    @Override
    public <T> T transact(Function<BooksUnitOfWork, T> work) {
        return retry.run(() -> jdbi.inTransaction(TransactionIsolationLevel.SERIALIZABLE,
                handle -> work.apply(new JdbiBooksUnitOfWork(handle))));
    }
}
