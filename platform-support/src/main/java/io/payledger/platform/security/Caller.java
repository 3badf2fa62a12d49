package io.payledger.platform.security;

import java.util.Set;

/**
 * Who sent the request, as its verified token says: the client ID (the claim
 * {@code spring.security.oauth2.resourceserver.jwt.principal-claim-name}, {@code sub} by default) and
 * the scopes granted. Controllers take it as a parameter; what it owns is the service's to decide.
 */
public record Caller(String clientId, Set<String> scopes) {

    public Caller {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("a caller has a client ID");
        }
        scopes = Set.copyOf(scopes);
    }

    public boolean has(String scope) {
        return scopes.contains(scope);
    }

    /** Operators read every client's resources. */
    public boolean isOperator() {
        return has(Scopes.OPS);
    }

    /** Whether this caller may see a resource that belongs to {@code owner}. */
    public boolean maySee(String owner) {
        return isOperator() || clientId.equals(owner);
    }
}
