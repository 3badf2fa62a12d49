package io.payledger.notification.persistence;

import io.payledger.notification.domain.AccountOwners;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** {@link AccountOwners} in table {@code account_owners}. */
public final class JdbiAccountOwners implements AccountOwners {

    private final Jdbi jdbi;

    public JdbiAccountOwners(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<String> ownerOf(String accountId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT owner FROM account_owners WHERE account_id = :id AND owner IS NOT NULL")
                .bind("id", accountId)
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public void record(String accountId, String owner, String eventId) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO account_owners (account_id, owner, event_id)
                        VALUES (:id, :owner, :eventId)
                        ON CONFLICT (account_id) DO UPDATE
                           SET owner = EXCLUDED.owner, event_id = EXCLUDED.event_id, copied_at = now()
                         WHERE account_owners.event_id <> EXCLUDED.event_id""")
                .bind("id", accountId)
                .bind("owner", owner)
                .bind("eventId", eventId)
                .execute());
    }
}
