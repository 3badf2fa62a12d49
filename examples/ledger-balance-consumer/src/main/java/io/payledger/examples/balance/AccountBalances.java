package io.payledger.examples.balance;

import io.payledger.events.EntryPosted;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every account's balance, built from its {@link EntryPosted} events, and what those events show was
 * missed or read twice.
 *
 * <p>The contract this relies on (docs/SPEC.md, docs/asyncapi.yaml): {@code ledger.entries} is keyed by
 * account, so one account's entries are in one partition, in statement order; each account's
 * {@code sequence} runs from 1 without gaps. Read in partition order, an account's next entry is therefore
 * always its last sequence plus one: a higher one means entries were missed (a gap), a lower or equal one
 * that an entry came again (a duplicate, e.g. after a replay), which must not count twice.
 */
public final class AccountBalances {

    /** An account's balance in minor units of its currency, as of its entry {@code lastSequence}. */
    public record Balance(String accountId, String currency, long balanceMinor, long lastSequence) {
    }

    /** Sequences {@code firstMissing} to {@code lastMissing} of an account were never read. */
    public record Gap(String accountId, long firstMissing, long lastMissing) {
    }

    /** An entry read again; it was not counted again. */
    public record Duplicate(String accountId, long sequence, String eventId) {
    }

    private final Map<String, Balance> balances = new TreeMap<>();
    private final List<Gap> gaps = new ArrayList<>();
    private final List<Duplicate> duplicates = new ArrayList<>();

    /**
     * Counts one entry, given in the order its account's entries were read.
     *
     * @throws IllegalArgumentException for an entry no ledger could have written (an account's currency
     *     changing, a balance beyond 64 bits); nothing is counted
     */
    public void apply(EntryPosted entry) {
        String accountId = entry.getAccountId();
        Balance before = balances.get(accountId);
        long lastSequence = before == null ? 0 : before.lastSequence();
        if (entry.getSequence() <= lastSequence) {
            duplicates.add(new Duplicate(accountId, entry.getSequence(), entry.getEventId()));
            return;
        }
        if (before != null && !before.currency().equals(entry.getCurrency())) {
            throw new IllegalArgumentException("account " + accountId + " is in " + before.currency()
                    + ", its entry " + entry.getSequence() + " in " + entry.getCurrency());
        }
        long balance;
        try {
            balance = Math.addExact(before == null ? 0 : before.balanceMinor(), entry.getAmountMinor());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("account " + accountId + "'s balance would overflow at entry "
                    + entry.getSequence());
        }
        if (entry.getSequence() > lastSequence + 1) {
            gaps.add(new Gap(accountId, lastSequence + 1, entry.getSequence() - 1));
        }
        balances.put(accountId, new Balance(accountId, entry.getCurrency(), balance, entry.getSequence()));
    }

    /** Every account seen, by account ID. */
    public Collection<Balance> balances() {
        return balances.values();
    }

    public List<Gap> gaps() {
        return List.copyOf(gaps);
    }

    public List<Duplicate> duplicates() {
        return List.copyOf(duplicates);
    }
}
