-- Accounts are journaled like transactions: the row that opens an account is also its AccountState event
-- on ledger.accounts, published by the same relay in the same commit order (JournalReader). Opening an
-- account writes nothing else, so the event cannot exist without the account or the account without it.
-- The ordinal comes from a sequence so that one database transaction may open any number of accounts.
CREATE SEQUENCE account_journal_ordinal;

ALTER TABLE accounts
    ADD COLUMN journal_xid     xid8   NOT NULL DEFAULT pg_current_xact_id(),
    ADD COLUMN journal_ordinal bigint NOT NULL DEFAULT nextval('account_journal_ordinal');

-- Unique: the relay pages by this pair. Accounts opened before this migration are journaled by it (this
-- transaction's xid, in account ID order), so they are published once too, after everything before.
CREATE UNIQUE INDEX accounts_journal_order ON accounts (journal_xid, journal_ordinal);
