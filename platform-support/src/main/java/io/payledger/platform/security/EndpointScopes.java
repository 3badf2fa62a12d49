package io.payledger.platform.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpMethod;

/**
 * Which scope each endpoint of a service needs: one rule per method and path pattern (Spring's
 * path patterns, as in {@code @GetMapping}); a caller needs any one of a rule's scopes. Every
 * controller endpoint must have a rule, or the service refuses to start ({@link EndpointScopesGuard}):
 * a new endpoint is never open to every token by omission.
 */
public final class EndpointScopes {

    public record Rule(HttpMethod method, String pattern, Set<String> anyOf) {
    }

    private final List<Rule> rules = new ArrayList<>();

    private EndpointScopes() {
    }

    public static EndpointScopes define() {
        return new EndpointScopes();
    }

    public EndpointScopes get(String pattern, String... anyOf) {
        return rule(HttpMethod.GET, pattern, anyOf);
    }

    public EndpointScopes post(String pattern, String... anyOf) {
        return rule(HttpMethod.POST, pattern, anyOf);
    }

    public EndpointScopes rule(HttpMethod method, String pattern, String... anyOf) {
        if (anyOf.length == 0) {
            throw new IllegalArgumentException(method + " " + pattern + " needs at least one scope");
        }
        rules.add(new Rule(method, pattern, Set.copyOf(Arrays.asList(anyOf))));
        return this;
    }

    public List<Rule> rules() {
        return List.copyOf(rules);
    }

    /** ": one of [scope, ...]" for the rule the request falls under, for a 403's detail; empty if none. */
    String describeFor(jakarta.servlet.http.HttpServletRequest request) {
        org.springframework.http.server.PathContainer path =
                org.springframework.http.server.PathContainer.parsePath(request.getRequestURI());
        return rules.stream()
                .filter(rule -> rule.method().matches(request.getMethod()))
                .filter(rule -> org.springframework.web.util.pattern.PathPatternParser.defaultInstance
                        .parse(rule.pattern()).matches(path))
                .findFirst()
                .map(rule -> ": one of " + new java.util.TreeSet<>(rule.anyOf()))
                .orElse("");
    }

    boolean covers(HttpMethod method, String pattern) {
        return rules.stream().anyMatch(rule -> rule.method().equals(method) && rule.pattern().equals(pattern));
    }
}
