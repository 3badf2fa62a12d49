package io.payledger.books;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Proves the books, from one consistent snapshot, against the invariants in docs/SPEC.md's Operations:
 * every transaction balances to zero per currency, every balance equals the sum of its entries,
 * per-account sequences have no gaps, no transaction is applied twice; plus the rules that make
 * those meaningful (customer balances not negative, each entry's running balance right).
 */
public final class BooksVerifier {

    /** One invariant's verdict, with up to a few examples of what breaks it. */
    public record Check(String invariant, long breaches, List<String> examples) {

        public boolean holds() {
            return breaches == 0;
        }
    }

    /** All verdicts, and the size of what was checked. */
    public record Report(List<Check> checks, long accounts, long transactions, long entries) {

        public boolean holds() {
            return checks.stream().allMatch(Check::holds);
        }
    }

    private static final int EXAMPLES = 5;

    private final Jdbi jdbi;

    public BooksVerifier(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Report verify() {
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            handle.execute("SET TRANSACTION READ ONLY");
            List<Check> checks = new ArrayList<>();
            checks.add(check(handle, "every transaction balances to zero per currency", """
                    SELECT transaction_id || ' ' || currency || ' sums to ' || sum(amount_minor)
                      FROM entries GROUP BY transaction_id, currency HAVING sum(amount_minor) <> 0"""));
            checks.add(check(handle, "posted transactions have two legs on their accounts, declined ones none", """
                    SELECT t.transaction_id || ' ' || t.status || ' has ' || count(e.account_id) || ' entries'
                      FROM transactions t LEFT JOIN entries e ON e.transaction_id = t.transaction_id
                     GROUP BY t.transaction_id, t.status, t.source_account_id, t.destination_account_id
                    HAVING (t.status = 'POSTED' AND (count(e.account_id) <> 2
                                OR bool_or(e.account_id NOT IN (t.source_account_id, t.destination_account_id))))
                        OR (t.status = 'DECLINED' AND count(e.account_id) <> 0)"""));
            checks.add(check(handle, "every entry belongs to an applied transaction on an existing account", """
                    SELECT e.account_id || '#' || e.sequence || ' refers to '
                           || CASE WHEN t.transaction_id IS NULL THEN 'no transaction ' || e.transaction_id
                                   ELSE 'no account' END
                      FROM entries e
                      LEFT JOIN transactions t ON t.transaction_id = e.transaction_id
                      LEFT JOIN accounts a ON a.account_id = e.account_id
                     WHERE t.transaction_id IS NULL OR a.account_id IS NULL"""));
            checks.add(check(handle, "each transaction's recorded legs are the entries in the statements", """
                    SELECT t.transaction_id || ' leg ' || leg.account_id || '#' || leg.sequence || ' does not match'
                      FROM transactions t
                     CROSS JOIN LATERAL (VALUES
                           (t.source_account_id, t.source_sequence, -t.amount_minor, t.source_balance_after),
                           (t.destination_account_id, t.destination_sequence, t.amount_minor,
                            t.destination_balance_after)) AS leg(account_id, sequence, amount_minor, balance_after)
                      LEFT JOIN entries e ON e.account_id = leg.account_id AND e.sequence = leg.sequence
                     WHERE t.status = 'POSTED'
                       AND (e.transaction_id IS DISTINCT FROM t.transaction_id
                            OR e.amount_minor <> leg.amount_minor OR e.balance_after <> leg.balance_after)"""));
            checks.add(check(handle, "every balance equals the sum of its entries", """
                    SELECT a.account_id || ' balance ' || a.balance_minor || ' but entries sum to ' || coalesce(e.total, 0)
                      FROM accounts a
                      LEFT JOIN (SELECT account_id, sum(amount_minor) AS total FROM entries GROUP BY account_id) e
                             ON e.account_id = a.account_id
                     WHERE a.balance_minor <> coalesce(e.total, 0)"""));
            checks.add(check(handle, "per-account sequences run from 1 without gaps", """
                    SELECT a.account_id || ' has ' || coalesce(e.n, 0) || ' entries, sequences ' || coalesce(e.low, 0)
                           || '..' || coalesce(e.high, 0) || ', version ' || a.last_sequence
                      FROM accounts a
                      LEFT JOIN (SELECT account_id, count(*) AS n, min(sequence) AS low, max(sequence) AS high
                                   FROM entries GROUP BY account_id) e ON e.account_id = a.account_id
                     WHERE coalesce(e.n, 0) <> a.last_sequence
                        OR coalesce(e.high, 0) <> a.last_sequence
                        OR (e.n > 0 AND e.low <> 1)"""));
            checks.add(check(handle, "each entry's balanceAfter is the running sum of its account's entries", """
                    SELECT account_id || '#' || sequence || ' balanceAfter ' || balance_after || ' but running sum '
                           || running
                      FROM (SELECT account_id, sequence, balance_after,
                                   sum(amount_minor) OVER (PARTITION BY account_id ORDER BY sequence) AS running
                              FROM entries) s
                     WHERE balance_after <> running"""));
            checks.add(check(handle, "no transaction ID is applied twice", """
                    SELECT transaction_id || ' appears in ' || count(*) || ' entries on ' || account_id
                      FROM entries GROUP BY transaction_id, account_id HAVING count(*) > 1"""));
            checks.add(check(handle, "customer accounts are not below zero", """
                    SELECT account_id || ' at ' || balance_minor FROM accounts
                     WHERE type = 'CUSTOMER' AND balance_minor < 0"""));
            return new Report(checks, count(handle, "accounts"), count(handle, "transactions"), count(handle, "entries"));
        });
    }

    private static Check check(Handle handle, String invariant, String breachesQuery) {
        long breaches = handle.createQuery("SELECT count(*) FROM (" + breachesQuery + ") b").mapTo(Long.class).one();
        List<String> examples = breaches == 0 ? List.of()
                : handle.createQuery(breachesQuery + " LIMIT " + EXAMPLES).mapTo(String.class).list();
        return new Check(invariant, breaches, examples);
    }

    private static long count(Handle handle, String table) {
        return handle.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one();
    }
}
