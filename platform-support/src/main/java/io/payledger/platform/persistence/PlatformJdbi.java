package io.payledger.platform.persistence;

import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;

/** The one way the platform opens its database through JDBI. */
public final class PlatformJdbi {

    private PlatformJdbi() {
    }

    /**
     * JDBI for PostgreSQL. A failed statement's message names the statement, shortened, but not its
     * bound values: they are payment data, and a batch binds thousands of them, which would otherwise
     * fill every log line and dead letter that quotes the failure.
     */
    public static Jdbi create(DataSource dataSource) {
        Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
        jdbi.getConfig(StatementExceptions.class)
                .setMessageRendering(StatementExceptions.MessageRendering.SHORT_STATEMENT);
        return jdbi;
    }
}
