-- Customer notifications: at most one per payment and kind, so replays never notify twice.
CREATE TABLE notifications (
    notification_id      uuid        PRIMARY KEY,
    payment_id           text        NOT NULL,
    kind                 text        NOT NULL,
    recipient_account_id text        NOT NULL,
    message              text        NOT NULL,
    source_event_id      text        NOT NULL,
    created_at           timestamptz NOT NULL,
    delivered_at         timestamptz,
    -- Redelivery: when the next attempt is due, and how many retries were claimed. A claim moves
    -- next_attempt_at forward (a lease), so instances never retry the same notification at once and
    -- one that keeps failing backs off instead of holding up the rest.
    attempts             integer     NOT NULL DEFAULT 0,
    next_attempt_at      timestamptz NOT NULL,
    UNIQUE (payment_id, kind)
);

CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE delivered_at IS NULL;
