package io.payledger.ledger.persistence;

import io.payledger.ledger.domain.LedgerTransaction;
import io.payledger.platform.relay.RelayPosition;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads applied transactions in commit order, for the event relay. The journal is the outbox: the
 * events are projections of rows the posting transaction already wrote (a transaction row records
 * both its legs), so publishing costs no extra writes on the hot path and one indexed read.
 */
public final class JournalReader {

    /** A transaction with its entries and its place in commit order. */
    public record JournaledTransaction(RelayPosition position, LedgerTransaction transaction) {
    }

    private final Jdbi jdbi;

    public JournalReader(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Transactions after {@code after}, oldest first, written by database transactions that are older
     * than any still running (so none can later commit behind the returned positions).
     */
    public List<JournaledTransaction> after(RelayPosition after, int limit) {
        return jdbi.withHandle(handle -> {
            record Row(long xid, int ordinal, LedgerTransaction tx) { }
            List<Row> rows = handle.createQuery("SELECT journal_xid::text::bigint AS xid, journal_ordinal, "
                            + LedgerRows.TRANSACTION_COLUMNS + """
                              FROM transactions
                             WHERE (journal_xid, journal_ordinal) > (CAST(CAST(:xid AS text) AS xid8), :ordinal)
                               AND journal_xid < pg_snapshot_xmin(pg_current_snapshot())
                             ORDER BY journal_xid, journal_ordinal
                             LIMIT :limit""")
                    .bind("xid", after.transactionId())
                    .bind("ordinal", (int) after.ordinal())
                    .bind("limit", limit)
                    .map((rs, ctx) -> new Row(rs.getLong("xid"), rs.getInt("journal_ordinal"),
                            LedgerRows.TRANSACTION.map(rs, ctx)))
                    .list();
            return rows.stream()
                    .map(row -> new JournaledTransaction(new RelayPosition(row.xid(), row.ordinal()), row.tx()))
                    .toList();
        });
    }
}
