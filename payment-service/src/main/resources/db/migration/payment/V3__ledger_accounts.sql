-- payment-service's own copy of the ledger's accounts, from ledger.accounts (compacted, keyed by account
-- ID): what intake checks a payment's accounts against, without asking ledger-service. An account the
-- copy has not seen (yet) is refused as unknown. Upserted by the listener: a redelivered or replayed
-- state writes the same row again.
CREATE TABLE ledger_accounts (
    account_id text        PRIMARY KEY,
    currency   text        NOT NULL,
    type       text        NOT NULL,
    -- The client that opened the account; NULL for one opened before accounts had owners.
    owner      text,
    status     text        NOT NULL,
    opened_at  timestamptz NOT NULL,
    -- The ledger event this row is from, and when this copy learned it.
    event_id   text        NOT NULL,
    copied_at  timestamptz NOT NULL DEFAULT now()
);
