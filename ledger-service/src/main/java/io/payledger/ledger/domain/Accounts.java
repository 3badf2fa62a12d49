package io.payledger.ledger.domain;

import java.util.List;
import java.util.Optional;

/**
 * The ledger's accounts as its API serves them: opening one, its current state, its statement. Each
 * call is a unit of its own (a plain READ COMMITTED snapshot); postings go through {@link Books}.
 */
public interface Accounts {

    /** Opens the account; false if an account with that ID already exists. */
    boolean open(Account account);

    Optional<Account> find(String accountId);

    /** Up to {@code limit} of the account's entries with a sequence below {@code beforeSequence}, newest first. */
    List<Entry> statement(String accountId, long beforeSequence, int limit);
}
