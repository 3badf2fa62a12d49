package io.payledger.platform.rules;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The shape of a trace ID, on HTTP ({@code X-Trace-Id}) and on Kafka ({@code trace-id}) alike. A trace
 * ID only labels logs and events, so one that breaks the rule is replaced, never a reason to refuse a
 * payment; carried along it could forge log lines or, with a NUL, break a database write.
 */
public final class TraceIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9-]{8,64}");

    public static final String RULE = "8-64 letters, digits or '-'";

    private TraceIds() {
    }

    public static boolean isValid(String traceId) {
        return traceId != null && VALID.matcher(traceId).matches();
    }

    /** The given trace ID if it is valid, otherwise null. */
    public static String validOrNull(String traceId) {
        return isValid(traceId) ? traceId : null;
    }

    public static String newTraceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
