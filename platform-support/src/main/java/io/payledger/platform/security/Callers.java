package io.payledger.platform.security;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The {@link Caller} of the current request, from the token Spring Security verified. */
final class Callers {

    private static final String SCOPE_PREFIX = "SCOPE_";

    private Callers() {
    }

    static Optional<Caller> current() {
        return from(SecurityContextHolder.getContext().getAuthentication());
    }

    static Optional<Caller> from(Authentication authentication) {
        if (!(authentication instanceof JwtAuthenticationToken token) || !token.isAuthenticated()) {
            return Optional.empty();
        }
        Set<String> scopes = token.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith(SCOPE_PREFIX))
                .map(authority -> authority.substring(SCOPE_PREFIX.length()))
                .collect(Collectors.toSet());
        return Optional.of(new Caller(token.getName(), scopes));
    }
}
