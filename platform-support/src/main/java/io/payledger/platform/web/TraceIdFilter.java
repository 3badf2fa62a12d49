package io.payledger.platform.web;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.payledger.platform.rules.TraceIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request a trace ID, taken from a W3C {@code traceparent} or {@code X-Trace-Id} header
 * when the caller sent one, and puts it in the logging context and the response. Whatever the
 * request causes downstream carries it on the {@code trace-id} Kafka header. With tracing on, a request
 * that brings neither gets its span's trace ID, so the logs' trace ID is the one the traces are found by.
 */
public class TraceIdFilter extends OncePerRequestFilter {

    private final Tracer tracer;

    /** A filter that knows no span (tracing off). */
    public TraceIdFilter() {
        this(Tracer.NOOP);
    }

    public TraceIdFilter(Tracer tracer) {
        this.tracer = tracer;
    }

    public static final String MDC_KEY = "traceId";
    public static final String RESPONSE_HEADER = "X-Trace-Id";

    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String traceId = traceIdOf(request);
        response.setHeader(RESPONSE_HEADER, traceId);
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_KEY, traceId)) {
            chain.doFilter(request, response);
        }
    }

    /** The current request's trace ID, or a new one outside a request. */
    public static String current() {
        String traceId = MDC.get(MDC_KEY);
        return traceId != null ? traceId : newTraceId();
    }

    String traceIdOf(HttpServletRequest request) {
        String traceparent = request.getHeader("traceparent");
        if (traceparent != null) {
            var matcher = TRACEPARENT.matcher(traceparent.trim());
            if (matcher.matches()) {
                return matcher.group(1);
            }
        }
        String given = request.getHeader(RESPONSE_HEADER);
        if (given != null && TraceIds.isValid(given.trim())) {
            return given.trim();
        }
        Span span = tracer.currentSpan();
        return span != null && !span.isNoop() ? span.context().traceId() : newTraceId();
    }

    static String newTraceId() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
