-- The W3C trace context (traceparent) of the span that applied the transaction, when tracing is on, for the
-- relay to continue the payment's trace on the events it publishes. Null when tracing is off.
ALTER TABLE transactions ADD COLUMN trace_parent text;
