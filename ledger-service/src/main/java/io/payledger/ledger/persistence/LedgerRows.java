package io.payledger.ledger.persistence;

import io.payledger.ledger.domain.Account;
import io.payledger.ledger.domain.AccountType;
import io.payledger.ledger.domain.DeclineReason;
import io.payledger.ledger.domain.Entry;
import io.payledger.ledger.domain.LedgerTransaction;
import io.payledger.ledger.domain.PaymentInstruction;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;

/** Row mappers for the books' tables. */
final class LedgerRows {

    static final RowMapper<Account> ACCOUNT = (rs, ctx) -> new Account(
            rs.getString("account_id"),
            rs.getString("currency"),
            AccountType.valueOf(rs.getString("type")),
            rs.getLong("balance_minor"),
            rs.getLong("last_sequence"),
            rs.getTimestamp("created_at").toInstant(),
            rs.getString("owner"));

    static final String ACCOUNT_COLUMNS = """
            account_id, currency, type, balance_minor, last_sequence, created_at, owner
            """;

    static final RowMapper<Entry> ENTRY = (rs, ctx) -> new Entry(
            rs.getString("account_id"),
            rs.getLong("sequence"),
            rs.getObject("transaction_id", UUID.class),
            rs.getString("counterparty_account_id"),
            rs.getLong("amount_minor"),
            rs.getString("currency"),
            rs.getLong("balance_after"),
            rs.getTimestamp("posted_at").toInstant());

    /** A transaction row with its two legs, which the row records (debit first). */
    static final RowMapper<LedgerTransaction> TRANSACTION = (rs, ctx) -> {
        UUID id = rs.getObject("transaction_id", UUID.class);
        String reason = rs.getString("decline_reason");
        PaymentInstruction payment = new PaymentInstruction(id, rs.getString("source_account_id"),
                rs.getString("destination_account_id"), rs.getLong("amount_minor"), rs.getString("currency"),
                rs.getString("reference"), rs.getString("trace_id"), rs.getString("trace_parent"));
        Instant appliedAt = rs.getTimestamp("applied_at").toInstant();
        LedgerTransaction.Status status = LedgerTransaction.Status.valueOf(rs.getString("status"));
        List<Entry> legs = status == LedgerTransaction.Status.POSTED
                ? List.of(
                        new Entry(payment.sourceAccountId(), rs.getLong("source_sequence"), id,
                                payment.destinationAccountId(), -payment.amountMinor(), payment.currency(),
                                rs.getLong("source_balance_after"), appliedAt),
                        new Entry(payment.destinationAccountId(), rs.getLong("destination_sequence"), id,
                                payment.sourceAccountId(), payment.amountMinor(), payment.currency(),
                                rs.getLong("destination_balance_after"), appliedAt))
                : List.of();
        return new LedgerTransaction(id, payment, status, Optional.ofNullable(reason).map(DeclineReason::valueOf),
                legs, appliedAt);
    };

    static final String TRANSACTION_COLUMNS = """
            transaction_id, status, decline_reason, source_account_id, destination_account_id, amount_minor,
            currency, reference, trace_id, trace_parent, applied_at, source_sequence, source_balance_after, destination_sequence,
            destination_balance_after
            """;

    static final String ENTRY_COLUMNS = """
            account_id, sequence, transaction_id, counterparty_account_id, amount_minor, currency, balance_after,
            posted_at
            """;

    private LedgerRows() {
    }
}
