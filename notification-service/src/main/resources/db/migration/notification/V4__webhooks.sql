-- Webhook subscriptions: a client's URL that hears about some of its accounts' notifications.
CREATE TABLE webhook_subscriptions (
    subscription_id uuid        PRIMARY KEY,
    -- The client that subscribed: only it (and ops) may see, delete or redrive the subscription.
    owner           text        NOT NULL,
    url             text        NOT NULL,
    -- Notification kinds as event types (payment.accepted, payment.posted, ...), and the accounts whose
    -- notifications are delivered. Both non-empty.
    event_types     text[]      NOT NULL,
    account_ids     text[]      NOT NULL,
    -- The HMAC-SHA256 key deliveries are signed with; shown to the subscriber once, at creation.
    secret          text        NOT NULL,
    created_at      timestamptz NOT NULL,
    -- A deleted subscription gets nothing new; its pending deliveries are cancelled.
    deleted_at      timestamptz
);
CREATE INDEX webhook_subscriptions_by_account ON webhook_subscriptions USING gin (account_ids)
    WHERE deleted_at IS NULL;
CREATE INDEX webhook_subscriptions_by_owner ON webhook_subscriptions (owner, created_at);

-- The durable delivery log: one row per notification and subscription, written in the transaction that
-- records the notification (so the Kafka consumer never waits on a receiver), then worked off by the
-- dispatcher. Deliveries to one subscription about one account go out in position order.
CREATE TABLE webhook_deliveries (
    delivery_id     uuid        PRIMARY KEY,
    position        bigserial   NOT NULL UNIQUE,
    subscription_id uuid        NOT NULL REFERENCES webhook_subscriptions,
    account_id      text        NOT NULL,
    notification_id uuid        NOT NULL,
    event_type      text        NOT NULL,
    -- The exact JSON body sent on every attempt (each attempt signs it with its own timestamp).
    payload         text        NOT NULL,
    -- PENDING (due at next_attempt_at; a claim moves it forward as a lease), DELIVERED, DEAD (every attempt
    -- failed: listed over HTTP and by payledger-ops, redrivable), CANCELLED (its subscription was deleted).
    status          text        NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD', 'CANCELLED')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL,
    delivered_at    timestamptz,
    dead_at         timestamptz,
    UNIQUE (subscription_id, notification_id)
);
-- The dispatcher's two questions: what is due, and is an earlier delivery of the same queue still pending.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (subscription_id, account_id, position)
    WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_dead ON webhook_deliveries (subscription_id, position) WHERE status = 'DEAD';
