-- The books. Balances are integer minor units; nothing here is floating point.

CREATE TABLE accounts (
    account_id    text        PRIMARY KEY,
    currency      char(3)     NOT NULL,
    type          text        NOT NULL CHECK (type IN ('CUSTOMER', 'SYSTEM')),
    balance_minor bigint      NOT NULL DEFAULT 0,
    -- Sequence of the account's newest entry; 0 before its first. Also the account's version.
    last_sequence bigint      NOT NULL DEFAULT 0 CHECK (last_sequence >= 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- Backstop for the rule the posting engine enforces: customers never go below zero.
    CONSTRAINT customer_balance_not_negative CHECK (type = 'SYSTEM' OR balance_minor >= 0)
);

-- One row per payment the ledger has applied, posted or declined: the idempotency record.
-- Transaction IDs are random UUIDs, so inserts spread across the index instead of piling onto its
-- right-most page, which would make concurrent SERIALIZABLE batches conflict.
CREATE TABLE transactions (
    transaction_id         uuid        PRIMARY KEY,
    status                 text        NOT NULL CHECK (status IN ('POSTED', 'DECLINED')),
    decline_reason         text,
    source_account_id      text        NOT NULL,
    destination_account_id text        NOT NULL,
    amount_minor           bigint      NOT NULL,
    currency               char(3)     NOT NULL,
    reference              text,
    trace_id               text,
    applied_at             timestamptz NOT NULL,
    -- Where the two legs landed (NULL when declined): the journal line is complete on its own, so the
    -- event relay reads one table and entries need no index by transaction.
    source_sequence        bigint,
    source_balance_after   bigint,
    destination_sequence   bigint,
    destination_balance_after bigint,
    -- Commit order for the event relay: the writing database transaction, then the position in its batch.
    journal_xid            xid8        NOT NULL DEFAULT pg_current_xact_id(),
    journal_ordinal        integer     NOT NULL,
    CONSTRAINT declined_has_reason CHECK ((status = 'DECLINED') = (decline_reason IS NOT NULL)),
    CONSTRAINT posted_has_legs CHECK ((status = 'POSTED') = (source_sequence IS NOT NULL
                                                            AND destination_sequence IS NOT NULL))
);

-- Unique: the relay pages by this pair, and a duplicate split across two pages would be skipped.
CREATE UNIQUE INDEX transactions_journal_order ON transactions (journal_xid, journal_ordinal);

-- Postings. Each posted transaction has two entries that sum to zero; each account's entries are
-- numbered from 1 without gaps. No foreign keys: each would cost a trigger and an index probe per
-- entry on the hot path; the posting engine is the only writer, and `payledger-ops verify` proves
-- every entry belongs to an applied transaction on an existing account.
CREATE TABLE entries (
    account_id              text        NOT NULL,
    sequence                bigint      NOT NULL CHECK (sequence > 0),
    transaction_id          uuid        NOT NULL,
    counterparty_account_id text        NOT NULL,
    amount_minor            bigint      NOT NULL CHECK (amount_minor <> 0),
    currency                char(3)     NOT NULL,
    balance_after           bigint      NOT NULL,
    posted_at               timestamptz NOT NULL,
    PRIMARY KEY (account_id, sequence)
);
