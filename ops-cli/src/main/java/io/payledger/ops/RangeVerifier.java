package io.payledger.ops;

import io.payledger.books.BooksVerifier.Check;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Proves the books for a range of each account's entries: from its first entry posted at or after
 * {@code since} and/or with sequence at least {@code fromSequence}, to its newest. Everything before the
 * range is taken as it stands: the running sums start from the {@code balance_after} of the entry just
 * before the range (0 when the range starts at #1), so a breach before the range is not seen unless it
 * is in that entry. Accounts without an entry in the range are not checked (except that no customer is
 * below zero, which is cheap for all).
 *
 * <p>Set-based: the range is copied once into a temporary table with its running sums (one window
 * function), and each invariant is one query over it, all in one snapshot. Finding where each account's
 * range starts scans the entries once ({@code posted_at} has no index); a small range is then read, and
 * its transactions' legs looked up, by index.
 */
final class RangeVerifier {

    /** The range's size, and each invariant's verdict over it. */
    record Report(List<Check> checks, long accounts, long transactions, long entries) {
    }

    private static final int EXAMPLES = 5;
    /** Entries above which a range is checked with scans rather than index lookups. */
    private static final long LARGE_RANGE = 50_000;

    private final Jdbi jdbi;
    private final Instant since;
    private final Long fromSequence;

    RangeVerifier(Jdbi jdbi, Instant since, Long fromSequence) {
        if (since == null && fromSequence == null) {
            throw new IllegalArgumentException("a range needs --since and/or --from-sequence");
        }
        this.jdbi = jdbi;
        this.since = since;
        this.fromSequence = fromSequence;
    }

    /** A description of the range, for the report. */
    String describe() {
        List<String> parts = new ArrayList<>();
        if (since != null) {
            parts.add("posted at or after " + since);
        }
        if (fromSequence != null) {
            parts.add("from sequence #" + fromSequence);
        }
        return "each account's entries " + String.join(" and ", parts) + " on";
    }

    Report verify(Consumer<String> stage) {
        // REPEATABLE READ: one snapshot for every query. Not READ ONLY: it writes its temporary table.
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            // Sorts and hashes of a large range in memory rather than spilled to disk, and index probes for a
            // small range rather than scans of the whole book (the default random_page_cost assumes spinning
            // disks): for this one transaction.
            handle.execute("SET LOCAL work_mem = '256MB'");
            handle.execute("SET LOCAL random_page_cost = 1.1");
            stage.accept("copying the range and its running sums");
            List<String> conditions = new ArrayList<>();
            if (since != null) {
                conditions.add("posted_at >= :since");
            }
            if (fromSequence != null) {
                conditions.add("sequence >= :fromSequence");
            }
            // Where each account's range starts: its first entry in the range; and the balance it starts from,
            // that of the entry before (first - 1), looked up once per account. If that entry is missing, the
            // range does not join the account's history.
            bindRange(handle.createUpdate("""
                    CREATE TEMPORARY TABLE verify_range ON COMMIT DROP AS
                    WITH starts AS MATERIALIZED (
                        SELECT f.account_id, f.first,
                               (SELECT o.balance_after FROM entries o
                                 WHERE o.account_id = f.account_id AND o.sequence = f.first - 1) AS opening
                          FROM (SELECT account_id, min(sequence) AS first FROM entries WHERE %s
                                 GROUP BY account_id) f)
                    SELECT e.account_id, e.sequence, e.transaction_id, e.amount_minor, e.currency, e.balance_after,
                           s.first, s.opening,
                           coalesce(s.opening, 0)
                               + sum(e.amount_minor) OVER (PARTITION BY e.account_id ORDER BY e.sequence) AS running
                      FROM starts s
                      JOIN entries e ON e.account_id = s.account_id AND e.sequence >= s.first
                    """.formatted(String.join(" AND ", conditions)))).execute();
            handle.execute("ANALYZE verify_range");
            long rangeEntries = handle.createQuery("SELECT count(*) FROM verify_range").mapTo(Long.class).one();
            if (rangeEntries > LARGE_RANGE) {
                // A large range's transactions are cheaper joined against the book in one scan than looked up
                // one by one: back to the server's planner costs.
                handle.execute("RESET random_page_cost");
            }

            List<Check> checks = new ArrayList<>();
            stage.accept("checking running sums");
            checks.add(check(handle, "each entry's balanceAfter is the running sum from the entry before the range", """
                    SELECT account_id || '#' || sequence || ' balanceAfter ' || balance_after || ' but running sum '
                           || running
                      FROM verify_range
                     WHERE balance_after <> running AND (first = 1 OR opening IS NOT NULL)"""));
            stage.accept("checking sequences");
            checks.add(check(handle, "each account's range follows on from its history without gaps, to its last entry", """
                    SELECT r.account_id || ' range #' || r.first || '..#' || r.high || ' has ' || r.n || ' entries'
                           || CASE WHEN r.first > 1 AND r.no_opening THEN ', no entry #' || (r.first - 1) || ' before it'
                                   ELSE '' END
                           || ', version ' || coalesce(a.last_sequence::text, '(no account)')
                      FROM (SELECT account_id, first, count(*) AS n, max(sequence) AS high,
                                   bool_and(opening IS NULL) AS no_opening
                              FROM verify_range GROUP BY account_id, first) r
                      LEFT JOIN accounts a ON a.account_id = r.account_id
                     WHERE r.n <> r.high - r.first + 1 OR (r.first > 1 AND r.no_opening)
                        OR a.last_sequence IS DISTINCT FROM r.high"""));
            stage.accept("checking balances");
            checks.add(check(handle, "every balance equals its running sum at its last entry", """
                    SELECT a.account_id || ' balance ' || a.balance_minor || ' but running sum ' || r.running
                      FROM accounts a
                      JOIN verify_range r ON r.account_id = a.account_id AND r.sequence = a.last_sequence
                     WHERE a.balance_minor <> r.running AND (r.first = 1 OR r.opening IS NOT NULL)"""));
            stage.accept("checking transactions");
            // One pass from the range's transactions: each is a posted transaction whose two recorded legs are
            // entries (wherever they are) with its amount either way, so it sums to zero. Plain equi-joins, so the
            // planner may probe by index (a small range) or hash the book once per leg (a large one).
            checks.add(check(handle, "each transaction in the range balances: its two recorded legs are its entries", """
                    SELECT CASE WHEN t.transaction_id IS NULL THEN r.transaction_id || ' has entries but no transaction'
                                WHEN t.status <> 'POSTED' THEN r.transaction_id || ' is ' || t.status || ' but has entries'
                                WHEN src.transaction_id IS DISTINCT FROM t.transaction_id
                                     OR src.amount_minor <> -t.amount_minor OR src.currency <> t.currency
                                     OR src.balance_after <> t.source_balance_after
                                THEN t.transaction_id || ' leg ' || t.source_account_id || '#' || t.source_sequence
                                     || ' does not match'
                                ELSE t.transaction_id || ' leg ' || t.destination_account_id || '#'
                                     || t.destination_sequence || ' does not match' END
                      FROM (SELECT DISTINCT transaction_id FROM verify_range) r
                      LEFT JOIN transactions t ON t.transaction_id = r.transaction_id
                      LEFT JOIN entries src ON src.account_id = t.source_account_id AND src.sequence = t.source_sequence
                      LEFT JOIN entries dst
                             ON dst.account_id = t.destination_account_id AND dst.sequence = t.destination_sequence
                     WHERE t.transaction_id IS NULL OR t.status <> 'POSTED'
                        OR src.transaction_id IS DISTINCT FROM t.transaction_id OR src.amount_minor <> -t.amount_minor
                        OR src.currency <> t.currency OR src.balance_after <> t.source_balance_after
                        OR dst.transaction_id IS DISTINCT FROM t.transaction_id OR dst.amount_minor <> t.amount_minor
                        OR dst.currency <> t.currency OR dst.balance_after <> t.destination_balance_after"""));
            checks.add(check(handle, "no transaction ID is applied twice in the range", """
                    SELECT transaction_id || ' appears in ' || count(*) || ' entries on ' || account_id
                      FROM verify_range GROUP BY transaction_id, account_id HAVING count(*) > 1"""));
            checks.add(check(handle, "customer accounts are not below zero", """
                    SELECT account_id || ' at ' || balance_minor FROM accounts
                     WHERE type = 'CUSTOMER' AND balance_minor < 0"""));
            return handle.createQuery("""
                            SELECT count(DISTINCT account_id) AS accounts, count(DISTINCT transaction_id) AS transactions,
                                   count(*) AS entries
                              FROM verify_range""")
                    .map((rs, ctx) -> new Report(checks, rs.getLong("accounts"), rs.getLong("transactions"),
                            rs.getLong("entries")))
                    .one();
        });
    }

    private <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bindRange(T statement) {
        if (since != null) {
            statement.bind("since", since.atOffset(java.time.ZoneOffset.UTC));
        }
        if (fromSequence != null) {
            statement.bind("fromSequence", fromSequence.longValue());
        }
        return statement;
    }

    /** The breaches' count and the first few, in one pass over the query. */
    private static Check check(Handle handle, String invariant, String breachesQuery) {
        Query query = handle.createQuery("SELECT b.*, count(*) OVER () AS breaches FROM (" + breachesQuery
                + ") b LIMIT " + EXAMPLES);
        List<String> examples = new ArrayList<>();
        long[] breaches = {0};
        query.map((rs, ctx) -> {
            breaches[0] = rs.getLong("breaches");
            return rs.getString(1);
        }).forEach(examples::add);
        return new Check(invariant, breaches[0], examples);
    }
}
