-- A payment belongs to the client that submitted it: its OAuth2 client ID (HTTP) or Kafka producer
-- principal (payments.commands.<producer>). Payments recorded before owners existed keep NULL, and only
-- operators (scope ops) see them.
ALTER TABLE payments ADD COLUMN client_id text CHECK (client_id <> '');

-- Idempotency keys are each client's own: two clients may use the same key and get two payments. NULLS
-- NOT DISTINCT keeps the older, ownerless payments unique by key among themselves, as they were.
ALTER TABLE payments DROP CONSTRAINT payments_idempotency_key_key;
ALTER TABLE payments ADD CONSTRAINT payments_client_idempotency_key
    UNIQUE NULLS NOT DISTINCT (client_id, idempotency_key);
