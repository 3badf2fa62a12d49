package io.payledger.platform.security;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Per-client request rate (token bucket): {@code burst} requests at once, refilled at
 * {@code requestsPerSecond}. A client whose token holds a scope named in {@code scopes} gets the most
 * generous of those limits instead of the default. Limits are per service instance.
 *
 * @param requestsPerSecond refill rate of the default limit ({@code RATE_LIMIT_PER_SECOND})
 * @param burst             bucket size of the default limit ({@code RATE_LIMIT_BURST})
 * @param scopes            limits by scope, e.g. {@code payledger.rate-limit.scopes[ops].requests-per-second}
 */
@ConfigurationProperties("payledger.rate-limit")
public record RateLimitSettings(long requestsPerSecond, long burst, Map<String, Limit> scopes) {

    public record Limit(long requestsPerSecond, long burst) {

        public Limit {
            if (requestsPerSecond < 1 || burst < 1) {
                throw new IllegalArgumentException(
                        "a rate limit needs requests-per-second and burst of at least 1, got "
                                + requestsPerSecond + " and " + burst);
            }
        }
    }

    public RateLimitSettings {
        scopes = scopes == null ? Map.of() : Map.copyOf(scopes);
        new Limit(requestsPerSecond, burst);
    }

    /** The limit of a client holding these scopes. */
    Limit limitFor(Caller caller) {
        return scopes.entrySet().stream()
                .filter(entry -> caller.has(entry.getKey()))
                .map(Map.Entry::getValue)
                .reduce(new Limit(requestsPerSecond, burst), RateLimitSettings::moreGenerous);
    }

    private static Limit moreGenerous(Limit a, Limit b) {
        return b.requestsPerSecond() > a.requestsPerSecond()
                || (b.requestsPerSecond() == a.requestsPerSecond() && b.burst() > a.burst()) ? b : a;
    }
}
