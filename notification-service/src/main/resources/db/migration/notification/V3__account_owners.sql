-- Whose each account is, copied from the ledger's ledger.accounts (compacted, keyed by account ID): an
-- account's inbox and its webhook subscriptions are its owner's. Upserted by the listener: a redelivered or
-- replayed state writes the same row again. NULL owner: opened before accounts had owners (ops only).
CREATE TABLE account_owners (
    account_id text        PRIMARY KEY,
    owner      text,
    -- The ledger event this row is from, and when this copy learned it.
    event_id   text        NOT NULL,
    copied_at  timestamptz NOT NULL DEFAULT now()
);

-- The inbox: an account's notifications, newest first, paged by this position.
ALTER TABLE notifications ADD COLUMN position bigserial;
CREATE UNIQUE INDEX notifications_inbox ON notifications (recipient_account_id, position);
