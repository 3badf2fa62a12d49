package io.payledger.platform.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The spans of one polled batch ({@link RecordTracing#batch}): a span per record, in the payment's trace, and the
 * batch's own span, linked to them all and current on the polling thread while the batch is handled. Closing it
 * ends them, batch first.
 */
public final class TracedBatch implements AutoCloseable {

    private final RecordTracing tracing;
    private final List<Span> records;
    private final Span batch;
    private final Tracer.SpanInScope scope;

    TracedBatch(RecordTracing tracing, List<Span> records, Span batch, Tracer.SpanInScope scope) {
        this.tracing = tracing;
        this.records = records;
        this.batch = batch;
        this.scope = scope;
    }

    static TracedBatch untraced(int size) {
        return new TracedBatch(RecordTracing.OFF, Collections.nCopies(size, Span.NOOP), Span.NOOP, null);
    }

    /** The span of the batch's {@code index}th record. */
    public Span record(int index) {
        return records.get(index);
    }

    /** The {@code index}th record's span context as headers to store with what it causes (empty untraced). */
    public Map<String, String> contextOf(int index) {
        Map<String, String> headers = new java.util.HashMap<>();
        tracing.inject(records.get(index), headers);
        return headers;
    }

    @Override
    public void close() {
        if (scope != null) {
            scope.close();
        }
        batch.end();
        records.forEach(Span::end);
    }
}
