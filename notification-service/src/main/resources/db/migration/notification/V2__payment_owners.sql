-- Whose payment each one is: the API client that submitted it (PaymentInitiated.initiatedBy), recorded
-- once from payments.initiated, in the transaction that records its acceptance notification. Its
-- notifications are that client's to read. NULL: submitted before payments had owners (or by nobody
-- known); only operators read those.
CREATE TABLE payment_owners (
    payment_id  text        PRIMARY KEY,
    owner       text,
    recorded_at timestamptz NOT NULL
);
