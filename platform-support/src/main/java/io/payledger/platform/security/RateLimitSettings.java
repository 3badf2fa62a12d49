package io.payledger.platform.security;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Per-client request rate (token bucket): {@code burst} requests at once, refilled at
 * {@code requestsPerSecond}. A client named in {@code clients} gets its own limit; otherwise a client whose
 * token holds a scope named in {@code scopes} gets the most generous of those limits instead of the
 * default. Limits are per service instance.
 *
 * @param requestsPerSecond refill rate of the default limit ({@code RATE_LIMIT_PER_SECOND})
 * @param burst             bucket size of the default limit ({@code RATE_LIMIT_BURST})
 * @param scopes            limits by scope, e.g. {@code payledger.rate-limit.scopes[ops].requests-per-second}
 * @param clients           limits by client ID, e.g. {@code payledger.rate-limit.clients[batch-importer].burst}
 */
@ConfigurationProperties("payledger.rate-limit")
public record RateLimitSettings(long requestsPerSecond, long burst, Map<String, Limit> scopes,
                                Map<String, Limit> clients) {

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
        clients = clients == null ? Map.of() : Map.copyOf(clients);
        new Limit(requestsPerSecond, burst);
    }

    /** The limit of a client holding these scopes. */
    Limit limitFor(Caller caller) {
        Limit own = clients.get(caller.clientId());
        if (own != null) {
            return own;
        }
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
