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
    UNIQUE (payment_id, kind)
);

CREATE INDEX notifications_undelivered ON notifications (created_at) WHERE delivered_at IS NULL;
