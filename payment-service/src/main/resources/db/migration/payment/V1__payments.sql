-- Payments as producers see them, keyed by payment ID and unique by idempotency key.
CREATE TABLE payments (
    payment_id             uuid        PRIMARY KEY,
    idempotency_key        text        NOT NULL UNIQUE,
    -- SHA-256 of the request's content: a retry must match it, a different request under the key is refused.
    request_fingerprint    text        NOT NULL,
    channel                text        NOT NULL CHECK (channel IN ('HTTP', 'KAFKA')),
    source_account_id      text        NOT NULL,
    destination_account_id text        NOT NULL,
    amount_minor           bigint      NOT NULL CHECK (amount_minor > 0),
    currency               char(3)     NOT NULL,
    reference              text,
    status                 text        NOT NULL CHECK (status IN ('PENDING', 'REJECTED', 'POSTED', 'DECLINED')),
    reasons                text[]      NOT NULL DEFAULT '{}',
    trace_id               text,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    CHECK (source_account_id <> destination_account_id)
);

-- Transactional outbox: PaymentInitiated events, written in the payment's own transaction and
-- relayed to Kafka in commit order (see io.payledger.platform.outbox).
CREATE TABLE outbox (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx_id       xid8        NOT NULL DEFAULT pg_current_xact_id(),
    topic       text        NOT NULL,
    message_key bytea,
    payload     bytea       NOT NULL,
    headers     jsonb       NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX outbox_commit_order ON outbox (tx_id, id);
