package io.payledger.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.platform.web.ProblemJson;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-client token buckets (Bucket4j), in this instance's memory. Runs after the token is verified, so
 * only authenticated callers have a bucket; the management port (health, metrics) has no token and no
 * limit. Every limited response says where the caller stands (IETF {@code RateLimit} and
 * {@code RateLimit-Policy}); a refusal is 429 with {@code Retry-After}.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    static final String TYPE = "too-many-requests";
    private static final String POLICY = "\"client\"";

    private record ClientBucket(RateLimitSettings.Limit limit, Bucket bucket) {
    }

    private final RateLimitSettings settings;
    // Keyed by authenticated client ID, so its size is bounded by the issuer's clients; idle ones expire.
    private final Cache<String, ClientBucket> buckets = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterAccess(Duration.ofHours(1)).build();
    private final Counter refused;

    RateLimitFilter(RateLimitSettings settings, MeterRegistry meters) {
        this.settings = settings;
        this.refused = Counter.builder("payledger.http.rate.limited")
                .description("Requests refused with 429 because the client's bucket was empty")
                .register(meters);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Caller> caller = Callers.current();
        if (caller.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        RateLimitSettings.Limit limit = settings.limitFor(caller.get());
        ClientBucket client = buckets.asMap().compute(caller.get().clientId(), (id, existing) ->
                existing != null && existing.limit().equals(limit) ? existing : new ClientBucket(limit, bucket(limit)));
        ConsumptionProbe probe = client.bucket().tryConsumeAndReturnRemaining(1);
        response.setHeader("RateLimit-Policy", POLICY + ";q=" + limit.burst() + ";w=" + window(limit));
        response.setHeader("RateLimit", POLICY + ";r=" + probe.getRemainingTokens()
                + ";t=" + seconds(probe.getNanosToWaitForReset()));
        if (probe.isConsumed()) {
            request.setAttribute(RequestRateLimit.ATTRIBUTE, new RequestRateLimit(limit, client.bucket(), refused));
            chain.doFilter(request, response);
            return;
        }
        refused.increment();
        long retryAfter = retryAfterSeconds(probe);
        response.setHeader("Retry-After", Long.toString(retryAfter));
        ProblemJson.write(response, 429, TYPE, "over this client's rate limit of " + limit.requestsPerSecond()
                + " requests per second (burst " + limit.burst() + "); retry after " + retryAfter + " s");
    }

    private static Bucket bucket(RateLimitSettings.Limit limit) {
        return Bucket.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.burst())
                        .refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(1)))
                .build();
    }

    /** Seconds an empty bucket takes to fill: the window the quota of {@code burst} requests stands for. */
    private static long window(RateLimitSettings.Limit limit) {
        return Math.max(1, (limit.burst() + limit.requestsPerSecond() - 1) / limit.requestsPerSecond());
    }

    /** Whole seconds until an empty bucket holds what was asked of it, at least 1: the {@code Retry-After}. */
    static long retryAfterSeconds(ConsumptionProbe refused) {
        return Math.max(1, seconds(refused.getNanosToWaitForRefill()));
    }

    private static long seconds(long nanos) {
        return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
    }
}
