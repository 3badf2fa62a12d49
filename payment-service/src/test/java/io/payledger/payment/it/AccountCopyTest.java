package io.payledger.payment.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** payment-service's copy of the ledger's accounts, and the time limits on its database work. */
class AccountCopyTest extends PaymentServiceTestBase {

    @Autowired
    DataSource dataSource;

    @Test
    void theCopyLearnsAnAccountFromTheLedgersEventAndARedeliveryChangesNothing() {
        // Given the ledger publishes a new SYSTEM account's state, twice (a redelivery)
        String account = "copied-" + UUID.randomUUID().toString().substring(0, 8);
        LEDGER.publish(account, "EUR", "SYSTEM", OPERATOR);
        LEDGER.publish(account, "EUR", "SYSTEM", OPERATOR);

        // When payment-service has copied it
        LEDGER.awaitCopied(account);

        // Then the copy has it once, as published
        Jdbi jdbi = Jdbi.create(dataSource);
        List<String> rows = jdbi.withHandle(h -> h.createQuery(
                        "SELECT currency || ' ' || type || ' ' || owner || ' ' || status FROM ledger_accounts"
                                + " WHERE account_id = :id").bind("id", account).mapTo(String.class).list());
        assertThat(rows).containsExactly("EUR SYSTEM " + OPERATOR + " OPEN");
    }

    @Test
    void theDatabaseWorkHasAStatementAndALockTimeout() {
        // Given payment-service's own data source, when a connection says what its limits are
        Jdbi jdbi = Jdbi.create(dataSource);

        // Then they are the platform defaults, not PostgreSQL's "0" (no limit)
        String statementTimeout = jdbi.withHandle(h -> h.createQuery("SHOW statement_timeout").mapTo(String.class).one());
        String lockTimeout = jdbi.withHandle(h -> h.createQuery("SHOW lock_timeout").mapTo(String.class).one());
        assertThat(statementTimeout).isEqualTo("30s");
        assertThat(lockTimeout).isEqualTo("10s");
    }
}
