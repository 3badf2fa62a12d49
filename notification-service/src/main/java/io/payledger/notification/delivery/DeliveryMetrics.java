package io.payledger.notification.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.payledger.notification.domain.DeliveryStatus;
import io.payledger.notification.domain.WebhookStore;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** What the dispatcher did with each claimed delivery, how long deliveries took, and the backlog. */
public final class DeliveryMetrics {

    public enum Outcome {
        DELIVERED, FAILED, DEAD, BREAKER_OPEN, BULKHEAD_FULL
    }

    public static final String DELIVERIES = "payledger.webhook.deliveries";
    public static final String LATENCY = "payledger.webhook.delivery.latency";

    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
    private final Timer latency;

    public DeliveryMetrics(MeterRegistry meters, WebhookStore store) {
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, Counter.builder(DELIVERIES)
                    .description("Webhook deliveries claimed, by what came of them")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(meters));
        }
        latency = Timer.builder(LATENCY)
                .description("From a notification being recorded to its webhook delivery")
                .register(meters);
        Gauge.builder("payledger.webhook.deliveries.pending", store, s -> s.count(DeliveryStatus.PENDING))
                .description("Webhook deliveries waiting to be sent").strongReference(true).register(meters);
        Gauge.builder("payledger.webhook.deliveries.dead", store, s -> s.count(DeliveryStatus.DEAD))
                .description("Webhook deliveries that failed every attempt, awaiting redrive")
                .strongReference(true).register(meters);
    }

    void count(Outcome outcome) {
        outcomes.get(outcome).increment();
    }

    void delivered(Duration sinceCreated) {
        count(Outcome.DELIVERED);
        latency.record(sinceCreated.isNegative() ? Duration.ZERO : sinceCreated);
    }
}
