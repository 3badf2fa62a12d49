package io.payledger.platform.tracing;

import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.payledger.platform.rules.PaymentRules;
import io.payledger.schemas.topic.TraceHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.springframework.kafka.listener.BatchMessageListener;

/**
 * One payment's trace across the services: a span where a record is consumed, continuing the trace its
 * W3C {@code traceparent} header names, and that span's context written on what the service produces for
 * the payment (a Kafka record's headers, or an outbox row's headers the relay later copies onto the record).
 *
 * <p>With tracing off (no {@code TRACING_OTLP_ENDPOINT}) the tracer is Micrometer's no-op one: every span is a
 * no-op, nothing is injected, and the cost is a few allocations per record. A {@code traceparent} is a
 * producer's header like any other: one that does not parse is ignored (a new trace starts), and only
 * contexts this service made are ever written on.
 */
public final class RecordTracing {

    /** The W3C trace-context header: the only one the platform writes. */
    public static final String TRACEPARENT = TraceHeaders.TRACEPARENT;

    /** The span attribute naming the payment a record is about. */
    public static final String PAYMENT_ID_TAG = "payledger.payment_id";

    public static final RecordTracing OFF = new RecordTracing(Tracer.NOOP, Propagator.NOOP);

    private final Tracer tracer;
    private final Propagator propagator;

    public RecordTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /**
     * A started consumer span for a record, the child of the span its {@code traceparent} names (a new trace
     * if it names none). The caller ends it.
     */
    public Span consumed(String name, ConsumerRecord<?, ?> record) {
        return consumer(name, record.topic(), record.headers())
                .tag("messaging.kafka.partition", Integer.toString(record.partition()))
                .tag("messaging.kafka.offset", Long.toString(record.offset()))
                .start();
    }

    /** As {@link #consumed(String, ConsumerRecord)}, for a record known by its topic and headers only. */
    public Span consumed(String name, String topic, Headers headers) {
        return consumer(name, topic, headers).start();
    }

    /**
     * Spans for a batch of records handled as one unit: one per record, as {@link #consumed}, and one for the
     * batch, linked to each and current on this thread until the returned batch is closed.
     */
    public TracedBatch batch(String name, List<? extends ConsumerRecord<?, ?>> records) {
        if (tracer == Tracer.NOOP) {
            return TracedBatch.untraced(records.size());
        }
        List<Span> spans = new ArrayList<>(records.size());
        for (ConsumerRecord<?, ?> record : records) {
            spans.add(consumed(name, record));
        }
        Span batch = batch(name + " batch", spans).tag("messaging.batch.message_count", Integer.toString(spans.size()));
        return new TracedBatch(this, spans, batch, tracer.withSpan(batch));
    }

    /** {@code listener} with each batch it is given handled inside {@link #batch} spans. */
    public BatchMessageListener<byte[], byte[]> around(String name, BatchMessageListener<byte[], byte[]> listener) {
        return records -> {
            try (TracedBatch ignored = batch(name, records)) {
                listener.onMessage(records);
            }
        };
    }

    private Span.Builder consumer(String name, String topic, Headers headers) {
        Span.Builder builder = propagator.extract(headers, RecordTracing::lastHeader)
                .name(name)
                .kind(Span.Kind.CONSUMER)
                .tag("messaging.system", "kafka")
                .tag("messaging.destination.name", topic);
        // Only a well-formed payment ID: operators find a payment's trace by it.
        PaymentRules.paymentId(lastHeader(headers, TraceHeaders.PAYMENT_ID))
                .ifPresent(paymentId -> builder.tag(PAYMENT_ID_TAG, paymentId.toString()));
        return builder;
    }

    /**
     * A started producer span for a message about to be published from stored headers (an outbox row's): the
     * child of the span they name. Without a {@code traceparent} among them there is nothing to continue, and
     * the span is a no-op.
     */
    public Span publishing(String topic, Map<String, String> headers) {
        if (!headers.containsKey(TRACEPARENT)) {
            return Span.NOOP;
        }
        Span.Builder builder = propagator.extract(headers, Map::get)
                .name("publish " + topic)
                .kind(Span.Kind.PRODUCER)
                .tag("messaging.system", "kafka")
                .tag("messaging.destination.name", topic);
        PaymentRules.paymentId(headers.get(TraceHeaders.PAYMENT_ID))
                .ifPresent(paymentId -> builder.tag(PAYMENT_ID_TAG, paymentId.toString()));
        return builder.start();
    }

    /** A started span for work done once for many records (a batch), linked to each record's span. */
    Span batch(String name, Collection<Span> records) {
        Span.Builder builder = tracer.spanBuilder().name(name).setNoParent();
        for (Span record : records) {
            if (!record.isNoop()) {
                builder.addLink(new Link(record.context()));
            }
        }
        return builder.start();
    }

    /** Writes {@code span}'s context on Kafka headers, replacing any {@code traceparent} they had. */
    public void inject(Span span, Headers headers) {
        if (span.isNoop()) {
            return;
        }
        headers.remove(TRACEPARENT);
        propagator.inject(span.context(), headers, (carrier, key, value) -> {
            if (TRACEPARENT.equals(key)) {
                carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /** Writes {@code span}'s context into headers stored for later publication (an outbox row's). */
    public void inject(Span span, Map<String, String> headers) {
        if (!span.isNoop()) {
            inject(span.context(), headers);
        }
    }

    /**
     * The current span's context as headers to store with what this thread is writing (an HTTP request's
     * payment, say); empty when no span is current.
     */
    public Map<String, String> currentContext() {
        Span current = tracer.currentSpan();
        Map<String, String> headers = new HashMap<>();
        if (current != null && !current.isNoop()) {
            inject(current.context(), headers);
        }
        return headers;
    }

    /** Makes {@code span} current on this thread until the returned scope is closed. */
    public Tracer.SpanInScope inScope(Span span) {
        return tracer.withSpan(span);
    }

    private void inject(TraceContext context, Map<String, String> headers) {
        propagator.inject(context, headers, (carrier, key, value) -> {
            if (TRACEPARENT.equals(key)) {
                carrier.put(key, value);
            }
        });
    }

    private static String lastHeader(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
