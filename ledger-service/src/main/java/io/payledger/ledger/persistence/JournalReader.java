package io.payledger.ledger.persistence;

import io.payledger.ledger.domain.Account;
import io.payledger.ledger.domain.LedgerTransaction;
import io.payledger.platform.relay.RelayPosition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads the journal in commit order, for the event relay: applied transactions and opened accounts. The
 * journal is the outbox: the events are projections of rows the writing transaction already wrote (a
 * transaction row records both its legs; an account row is the account), so publishing costs no extra
 * writes on the hot path and one indexed read per table.
 */
public final class JournalReader {

    /** A journal row and its place in commit order. */
    public sealed interface Journaled permits JournaledTransaction, JournaledAccount {
        RelayPosition position();
    }

    /** A transaction with its entries. */
    public record JournaledTransaction(RelayPosition position, LedgerTransaction transaction) implements Journaled {
    }

    /** An opened account, as it was opened. */
    public record JournaledAccount(RelayPosition position, Account account) implements Journaled {
    }

    /** Rows after the bound position {@code :xid}, {@code :ordinal}, in commit order (both tables' journal index). */
    private static final String AFTER_POSITION =
            "(journal_xid, journal_ordinal) > (CAST(CAST(:xid AS text) AS xid8), :ordinal)";

    private final Jdbi jdbi;

    public JournalReader(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** How many journal rows, transactions and accounts, committed after {@code after}: the relay's backlog. */
    public long countAfter(RelayPosition after) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT (SELECT count(*) FROM transactions WHERE %1$s)
                             + (SELECT count(*) FROM accounts WHERE %1$s)""".formatted(AFTER_POSITION))
                .bind("xid", after.transactionId())
                .bind("ordinal", after.ordinal())
                .mapTo(Long.class)
                .one());
    }

    /**
     * Up to {@code limit} journal rows after {@code after}, oldest first, written by database transactions
     * that are older than any still running (so none can later commit behind the returned positions).
     */
    public List<Journaled> after(RelayPosition after, int limit) {
        return jdbi.withHandle(handle -> {
            // One bound for both tables: below it every writer has ended, whenever each table is read.
            String bound = handle.createQuery("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
                    .mapTo(String.class).one();
            record Row(long xid, long ordinal, LedgerTransaction tx) { }
            List<Row> rows = handle.createQuery("SELECT journal_xid::text::bigint AS xid, journal_ordinal, "
                            + LedgerRows.TRANSACTION_COLUMNS + """
                              FROM transactions
                             WHERE %s
                               AND journal_xid < CAST(:bound AS xid8)
                             ORDER BY journal_xid, journal_ordinal
                             LIMIT :limit""".formatted(AFTER_POSITION))
                    .bind("xid", after.transactionId())
                    .bind("ordinal", (int) Math.min(after.ordinal(), Integer.MAX_VALUE))
                    .bind("bound", bound)
                    .bind("limit", limit)
                    .map((rs, ctx) -> new Row(rs.getLong("xid"), rs.getInt("journal_ordinal"),
                            LedgerRows.TRANSACTION.map(rs, ctx)))
                    .list();
            List<Journaled> accounts = handle.createQuery("SELECT journal_xid::text::bigint AS xid, journal_ordinal, "
                            + LedgerRows.ACCOUNT_COLUMNS + """
                              FROM accounts
                             WHERE %s
                               AND journal_xid < CAST(:bound AS xid8)
                             ORDER BY journal_xid, journal_ordinal
                             LIMIT :limit""".formatted(AFTER_POSITION))
                    .bind("xid", after.transactionId())
                    .bind("ordinal", after.ordinal())
                    .bind("bound", bound)
                    .bind("limit", limit)
                    .map((rs, ctx) -> (Journaled) new JournaledAccount(
                            new RelayPosition(rs.getLong("xid"), rs.getLong("journal_ordinal")),
                            LedgerRows.ACCOUNT.map(rs, ctx)))
                    .list();
            // Each list is the first rows of its table after the position; merged, the first `limit` of
            // both are the first rows of the journal.
            List<Journaled> merged = new ArrayList<>(rows.size() + accounts.size());
            rows.forEach(row -> merged.add(
                    new JournaledTransaction(new RelayPosition(row.xid(), row.ordinal()), row.tx())));
            merged.addAll(accounts);
            merged.sort(Comparator.comparing(Journaled::position));
            return List.copyOf(merged.subList(0, Math.min(limit, merged.size())));
        });
    }
}
