package io.payledger.payment.accounts;

import io.payledger.events.AccountState;
import io.payledger.payment.domain.AccountDirectory;
import io.payledger.payment.domain.AccountDirectoryUnavailableException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * payment-service's copy of the ledger's accounts (table {@code ledger_accounts}), kept from the ledger's
 * {@code ledger.accounts} events: intake checks accounts here, so no payment waits on ledger-service. An
 * account the ledger has opened but whose event has not arrived yet is not here: it reads as unknown.
 */
public final class AccountCopy implements AccountDirectory {

    private static final RowMapper<AccountSummary> SUMMARY = (rs, ctx) -> new AccountSummary(
            rs.getString("account_id"), rs.getString("currency"), typeOf(rs.getString("type")), rs.getString("owner"));

    private final Jdbi jdbi;

    public AccountCopy(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Records the account's state; the same state again (a redelivery, a replay) changes nothing. */
    public void record(AccountState state) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO ledger_accounts (account_id, currency, type, owner, status, opened_at, event_id)
                        VALUES (:id, :currency, :type, :owner, :status, :openedAt, :eventId)
                        ON CONFLICT (account_id) DO UPDATE
                           SET currency = EXCLUDED.currency, type = EXCLUDED.type, owner = EXCLUDED.owner,
                               status = EXCLUDED.status, opened_at = EXCLUDED.opened_at, event_id = EXCLUDED.event_id,
                               copied_at = now()
                         WHERE ledger_accounts.event_id <> EXCLUDED.event_id""")
                .bind("id", state.getAccountId())
                .bind("currency", state.getCurrency())
                .bind("type", state.getType())
                .bind("owner", state.getOwner())
                .bind("status", state.getStatus())
                .bind("openedAt", Timestamp.from(state.getOpenedAt()))
                .bind("eventId", state.getEventId())
                .execute());
    }

    @Override
    public Optional<AccountSummary> find(String accountId) {
        try {
            return jdbi.withHandle(handle -> handle.createQuery("""
                            SELECT account_id, currency, type, owner FROM ledger_accounts
                             WHERE account_id = :id AND status = 'OPEN'""")
                    .bind("id", accountId)
                    .map(SUMMARY)
                    .findOne());
        } catch (JdbiException e) {
            throw new AccountDirectoryUnavailableException("the account copy cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, AccountSummary> findAll(Collection<String> accountIds) {
        try {
            return jdbi.withHandle(handle -> handle.createQuery("""
                            SELECT account_id, currency, type, owner FROM ledger_accounts
                             WHERE account_id = ANY (:ids) AND status = 'OPEN'""")
                    .bindArray("ids", String.class, List.copyOf(new HashSet<>(accountIds)))
                    .map(SUMMARY)
                    .stream()
                    .collect(Collectors.toMap(AccountSummary::accountId, Function.identity())));
        } catch (JdbiException e) {
            throw new AccountDirectoryUnavailableException("the account copy cannot be read: " + e.getMessage(), e);
        }
    }

    /** A type this service does not know is none: nobody may pay out of such an account. */
    private static AccountType typeOf(String type) {
        return Arrays.stream(AccountType.values()).filter(known -> known.name().equals(type)).findFirst().orElse(null);
    }
}
