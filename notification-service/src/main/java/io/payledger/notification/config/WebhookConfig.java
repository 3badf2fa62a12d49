package io.payledger.notification.config;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.notification.delivery.DeliveryMetrics;
import io.payledger.notification.delivery.WebhookDispatcher;
import io.payledger.notification.delivery.WebhookEndpoints;
import io.payledger.notification.delivery.WebhookSettings;
import io.payledger.notification.domain.DeliveryPolicy;
import io.payledger.notification.domain.WebhookStore;
import io.payledger.notification.persistence.JdbiWebhookStore;
import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Webhook subscriptions, their endpoints (Resilience4j per subscription) and the dispatcher. */
@Configuration(proxyBeanMethods = false)
public class WebhookConfig {

    /** Jitter either side of each backoff interval: receivers coming back are not hit by every delivery at once. */
    private static final double BACKOFF_JITTER = 0.5;

    @Bean
    WebhookStore webhookStore(Jdbi jdbi) {
        return new JdbiWebhookStore(jdbi);
    }

    @Bean
    WebhookSettings webhookSettings(
            @Value("${payledger.webhooks.connect-timeout:2s}") Duration connectTimeout,
            @Value("${payledger.webhooks.timeout:5s}") Duration timeout,
            @Value("${payledger.webhooks.max-attempts:8}") int maxAttempts,
            @Value("${payledger.webhooks.backoff-initial:10s}") Duration backoffInitial,
            @Value("${payledger.webhooks.backoff-multiplier:2.0}") double backoffMultiplier,
            @Value("${payledger.webhooks.backoff-max:1h}") Duration backoffMax,
            @Value("${payledger.webhooks.lease:30s}") Duration lease,
            @Value("${payledger.webhooks.workers:16}") int workers,
            @Value("${payledger.webhooks.max-concurrent-calls:2}") int maxConcurrentCalls,
            @Value("${payledger.webhooks.breaker.window:10}") int breakerWindow,
            @Value("${payledger.webhooks.breaker.failure-rate:50}") float breakerFailureRate,
            @Value("${payledger.webhooks.breaker.open-duration:30s}") Duration breakerOpenDuration,
            @Value("${payledger.webhooks.breaker.trial-calls:1}") int breakerTrialCalls,
            @Value("${payledger.webhooks.poll-interval:500ms}") Duration pollInterval) {
        return new WebhookSettings(connectTimeout, timeout, maxAttempts, backoffInitial, backoffMultiplier,
                backoffMax, lease, workers, maxConcurrentCalls, breakerWindow, breakerFailureRate,
                breakerOpenDuration, breakerTrialCalls, pollInterval);
    }

    /** Endpoints are kept even with the dispatcher off: subscriptions still show their breaker's state. */
    @Bean
    WebhookEndpoints webhookEndpoints(WebhookSettings settings, MeterRegistry meters) {
        WebhookEndpoints endpoints = new WebhookEndpoints(settings);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(endpoints.breakers()).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(endpoints.bulkheads()).bindTo(meters);
        return endpoints;
    }

    @Bean
    DeliveryMetrics deliveryMetrics(MeterRegistry meters, WebhookStore store) {
        return new DeliveryMetrics(meters, store);
    }

    @Bean
    @ConditionalOnProperty(name = "payledger.webhooks.enabled", havingValue = "true", matchIfMissing = true)
    WebhookDispatcher webhookDispatcher(WebhookStore store, WebhookEndpoints endpoints, DeliveryMetrics metrics,
                                        WebhookSettings settings) {
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(settings.backoffInitial(),
                settings.backoffMultiplier(), BACKOFF_JITTER, settings.backoffMax());
        DeliveryPolicy policy = new DeliveryPolicy(settings.maxAttempts(), backoff::apply, settings.lease());
        return new WebhookDispatcher(store, endpoints, policy, metrics, settings, Clock.systemUTC());
    }
}
