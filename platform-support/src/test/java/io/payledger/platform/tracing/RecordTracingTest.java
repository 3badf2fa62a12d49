package io.payledger.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Trace context across records, with the real OpenTelemetry SDK behind Micrometer's bridge. */
class RecordTracingTest {

    private static final String PRODUCER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PRODUCER_PARENT = "00-" + PRODUCER_TRACE + "-00f067aa0ba902b7-01";
    private static final String PAYMENT_ID = "4f7a3c1e-2b9d-4e8a-9c6f-0d1e2f3a4b5c";

    private final List<SpanData> exported = new CopyOnWriteArrayList<>();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new ListExporter(exported))).build();
    private final RecordTracing tracing = tracing(provider);

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void aConsumedRecordsSpanContinuesItsProducersTraceAndWhatItCausesCarriesThatSpan() {
        // Given a record whose producer sent a traceparent and the payment ID
        ConsumerRecord<byte[], byte[]> record = record(Map.of("traceparent", PRODUCER_PARENT, "payment-id", PAYMENT_ID));

        // When it is consumed and what it causes is given the span's context
        Span span = tracing.consumed("check payment", record);
        RecordHeaders caused = new RecordHeaders();
        caused.add("traceparent", "00-ffffffffffffffffffffffffffffffff-ffffffffffffffff-01".getBytes(StandardCharsets.UTF_8));
        tracing.inject(span, caused);
        span.end();

        // Then the span is the producer's child, names the payment, and the new record carries it, not the old one
        SpanData data = exported.get(0);
        assertThat(data.getTraceId()).isEqualTo(PRODUCER_TRACE);
        assertThat(data.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(data.getAttributes().asMap().toString()).contains(PAYMENT_ID);
        assertThat(caused.headers("traceparent")).hasSize(1);
        assertThat(new String(caused.lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .isEqualTo("00-" + PRODUCER_TRACE + "-" + data.getSpanId() + "-01");
    }

    @Test
    void aTraceparentThatDoesNotParseStartsANewTraceAndIsNeverCopied() {
        // Given a record with a forged, malformed traceparent and a payment ID that is no UUID
        ConsumerRecord<byte[], byte[]> record = record(Map.of("traceparent", "00-<script>\u0000-zz-01",
                "payment-id", "not-a-payment"));

        // When it is consumed and its span's context stored for the outbox
        Span span = tracing.consumed("settle payment", record);
        Map<String, String> stored = new HashMap<>();
        tracing.inject(span, stored);
        span.end();

        // Then a new trace starts, the stored context is the platform's own, and no payment ID is claimed
        SpanData data = exported.get(0);
        assertThat(data.getParentSpanId()).isEqualTo("0000000000000000");
        assertThat(stored).containsOnly(Map.entry("traceparent", "00-" + data.getTraceId() + "-" + data.getSpanId() + "-01"));
        assertThat(data.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey(
                RecordTracing.PAYMENT_ID_TAG))).isNull();
    }

    @Test
    void aBatchHasASpanPerRecordInItsOwnTraceAndOneForTheBatchLinkedToEach() {
        // Given two records from two traces
        ConsumerRecord<byte[], byte[]> first = record(Map.of("traceparent", PRODUCER_PARENT));
        ConsumerRecord<byte[], byte[]> second = record(Map.of());

        // When they are handled as one batch
        try (TracedBatch ignored = tracing.batch("apply payment", List.of(first, second))) {
            assertThat(tracing.currentContext()).containsKey("traceparent");
        }

        // Then each record's span is in its own trace, and the batch span is linked to both
        SpanData batch = exported.stream().filter(span -> span.getName().equals("apply payment batch")).findFirst()
                .orElseThrow();
        List<SpanData> records = exported.stream().filter(span -> span.getName().equals("apply payment")).toList();
        assertThat(records).hasSize(2);
        assertThat(records.get(0).getTraceId()).isEqualTo(PRODUCER_TRACE);
        assertThat(records.get(1).getTraceId()).isNotIn(PRODUCER_TRACE, batch.getTraceId());
        assertThat(batch.getLinks()).extracting(link -> link.getSpanContext().getSpanId())
                .containsExactlyInAnyOrder(records.get(0).getSpanId(), records.get(1).getSpanId());
    }

    @Test
    void offRecordsNothingAndStoresNoContext() {
        // Given tracing off; When a batch is handled and the current context asked for
        try (TracedBatch batch = RecordTracing.OFF.batch("notify", List.of(record(Map.of("traceparent", PRODUCER_PARENT))))) {
            // Then no context is stored with what it causes
            assertThat(batch.contextOf(0)).isEmpty();
            assertThat(RecordTracing.OFF.currentContext()).isEmpty();
        }
    }

    private static ConsumerRecord<byte[], byte[]> record(Map<String, String> headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach((name, value) -> recordHeaders.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>("payments.initiated", 0, 0L, 0L, org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                0, 0, null, new byte[0], recordHeaders, java.util.Optional.empty());
    }

    private static RecordTracing tracing(SdkTracerProvider provider) {
        io.opentelemetry.api.trace.Tracer otel = provider.get("test");
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        return new RecordTracing(new OtelTracer(otel, current, event -> { }),
                new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel));
    }

    private record ListExporter(List<SpanData> spans) implements SpanExporter {

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
