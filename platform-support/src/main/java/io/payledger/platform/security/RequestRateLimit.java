package io.payledger.platform.security;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.payledger.platform.web.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.springframework.http.HttpStatus;

/**
 * The caller's rate-limit bucket, left on the request by the rate-limit filter, which charged the request
 * one unit. A request that carries many units of work (a batch of payments) charges the rest with
 * {@link #chargeMore}, so a client's limit means the same whether it sends one payment a request or many.
 */
public final class RequestRateLimit {

    static final String ATTRIBUTE = RequestRateLimit.class.getName();

    private final RateLimitSettings.Limit limit;
    private final Bucket bucket;
    private final Counter refused;

    RequestRateLimit(RateLimitSettings.Limit limit, Bucket bucket, Counter refused) {
        this.limit = limit;
        this.bucket = bucket;
        this.refused = refused;
    }

    /**
     * Charges {@code units} more to the caller's bucket, all or none; when the bucket does not hold them,
     * throws {@code 429 too-many-requests} with {@code Retry-After}, before the handler has changed anything.
     * A request the filter did not limit (no authenticated caller) is not charged.
     */
    public static void chargeMore(HttpServletRequest request, long units, String what) {
        if (units <= 0 || !(request.getAttribute(ATTRIBUTE) instanceof RequestRateLimit rateLimit)) {
            return;
        }
        ConsumptionProbe probe = rateLimit.bucket.tryConsumeAndReturnRemaining(units);
        if (probe.isConsumed()) {
            return;
        }
        rateLimit.refused.increment();
        long retryAfter = RateLimitFilter.retryAfterSeconds(probe);
        throw new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, RateLimitFilter.TYPE, "Too many requests", what
                + " counts " + (units + 1) + " against this client's rate limit of "
                + rateLimit.limit.requestsPerSecond() + " a second (burst " + rateLimit.limit.burst()
                + "), more than it holds now; retry after " + retryAfter + " s, or send fewer at once")
                .retryAfter(Duration.ofSeconds(retryAfter));
    }
}
