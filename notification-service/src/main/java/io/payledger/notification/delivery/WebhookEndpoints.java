package io.payledger.notification.delivery;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.payledger.notification.domain.ClaimedDelivery;
import io.payledger.notification.domain.EndpointStates;
import io.payledger.notification.domain.WebhookSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Each subscription's endpoint as Resilience4j guards it: a circuit breaker (a receiver that keeps failing is
 * left alone for a while, then tried again), a bulkhead (a few calls in flight at most, so one slow receiver
 * cannot hold every worker) and a time limit; and the signed HTTP POST itself. One per subscription, named by
 * its ID, so the breaker's metrics are tagged with it.
 */
public final class WebhookEndpoints implements EndpointStates {

    private final CircuitBreakerRegistry breakers;
    private final BulkheadRegistry bulkheads;
    private final TimeLimiter timeLimiter;
    private final HttpClient http;
    private final Duration timeout;

    public WebhookEndpoints(WebhookSettings settings) {
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.breakerWindow())
                .minimumNumberOfCalls(settings.breakerWindow())
                .failureRateThreshold(settings.breakerFailureRate())
                .waitDurationInOpenState(settings.breakerOpenDuration())
                .permittedNumberOfCallsInHalfOpenState(settings.breakerTrialCalls())
                // Half-open on time, not on the next call: the state (and its metric) says when trials may start.
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrentCalls())
                // A full bulkhead refuses at once: the worker moves on and the delivery waits for a later round.
                .maxWaitDuration(Duration.ZERO)
                .build());
        // The whole call, connecting and reading the response, is bounded, whatever the receiver trickles.
        this.timeLimiter = TimeLimiter.of(TimeLimiterConfig.custom()
                .timeoutDuration(settings.connectTimeout().plus(settings.timeout()))
                .cancelRunningFuture(true)
                .build());
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timeout = settings.timeout();
    }

    public CircuitBreakerRegistry breakers() {
        return breakers;
    }

    public BulkheadRegistry bulkheads() {
        return bulkheads;
    }

    public CircuitBreaker breaker(UUID subscriptionId) {
        return breakers.circuitBreaker(subscriptionId.toString());
    }

    public Bulkhead bulkhead(UUID subscriptionId) {
        return bulkheads.bulkhead(subscriptionId.toString());
    }

    /**
     * The endpoints that cannot take a call now: every bulkhead permit in use, or the breaker open. Their
     * deliveries are not claimed until one frees up (a finished call wakes the dispatcher), rather than claimed
     * and put back.
     */
    public Set<UUID> unavailable() {
        Set<UUID> unavailable = new HashSet<>();
        bulkheads.getAllBulkheads().forEach(bulkhead -> {
            if (bulkhead.getMetrics().getAvailableConcurrentCalls() == 0) {
                unavailable.add(UUID.fromString(bulkhead.getName()));
            }
        });
        breakers.getAllCircuitBreakers().forEach(breaker -> {
            if (breaker.getState() == CircuitBreaker.State.OPEN || breaker.getState() == CircuitBreaker.State.FORCED_OPEN) {
                unavailable.add(UUID.fromString(breaker.getName()));
            }
        });
        return unavailable;
    }

    @Override
    public String breakerState(UUID subscriptionId) {
        return breakers.find(subscriptionId.toString()).map(breaker -> breaker.getState().name())
                .orElse(CircuitBreaker.State.CLOSED.name());
    }

    @Override
    public void forget(UUID subscriptionId) {
        breakers.remove(subscriptionId.toString());
        bulkheads.remove(subscriptionId.toString());
    }

    /** POSTs the delivery's payload, signed for this attempt; the receiver's status code. */
    int post(ClaimedDelivery claimed, long timestamp) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(claimed.url()))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "payledger-webhooks")
                .header(WebhookSignature.ID_HEADER, claimed.delivery().deliveryId().toString())
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(WebhookSignature.SIGNATURE_HEADER,
                        WebhookSignature.sign(claimed.secret(), timestamp, claimed.delivery().payload()))
                .POST(HttpRequest.BodyPublishers.ofString(claimed.delivery().payload()))
                .build();
        return timeLimiter.executeFutureSupplier(
                () -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding())).statusCode();
    }
}
