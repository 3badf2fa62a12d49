package io.payledger.platform.messaging;

import io.payledger.platform.rules.PaymentRules;
import io.payledger.platform.rules.TraceIds;
import io.payledger.schemas.topic.TraceHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.MDC;

/**
 * Puts a record's {@code trace-id} and {@code payment-id} headers into the logging context while
 * it is handled, so one payment's log lines can be found across services.
 */
public final class RecordLogContext implements AutoCloseable {

    public static final String TRACE_ID = "traceId";
    public static final String PAYMENT_ID = "paymentId";

    private final String previousTraceId;
    private final String previousPaymentId;

    private RecordLogContext(Headers headers) {
        previousTraceId = MDC.get(TRACE_ID);
        previousPaymentId = MDC.get(PAYMENT_ID);
        // Header values come from producers: only well-formed ones reach the logs.
        put(TRACE_ID, traceId(headers));
        put(PAYMENT_ID, PaymentRules.paymentId(header(headers, TraceHeaders.PAYMENT_ID)).map(Object::toString)
                .orElse(null));
    }

    public static RecordLogContext of(Headers headers) {
        return new RecordLogContext(headers);
    }

    /**
     * The record's {@code trace-id} header if it obeys the platform's trace-ID rule ({@link TraceIds}), or
     * null: a trace ID comes from a producer, and only a well-formed one is logged or carried along.
     */
    public static String traceId(Headers headers) {
        return TraceIds.validOrNull(header(headers, TraceHeaders.TRACE_ID));
    }

    /** The header's value, or null. */
    public static String header(Headers headers, String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        restore(TRACE_ID, previousTraceId);
        restore(PAYMENT_ID, previousPaymentId);
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
