package io.payledger.schemas.topic;

/** Headers that carry correlation across services, so logs can be joined by payment and trace. */
public final class TraceHeaders {

    /** The payment the record is about. */
    public static final String PAYMENT_ID = "payment-id";
    /** A trace ID minted at the edge (HTTP request or command intake) and copied onto every record it causes. */
    public static final String TRACE_ID = "trace-id";
    /**
     * The W3C trace context of the span that wrote the record, when tracing is on: a consumer's span continues it.
     * One that does not parse is ignored.
     */
    public static final String TRACEPARENT = "traceparent";

    private TraceHeaders() {
    }
}
