package io.payledger.identity.token;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads a client-credentials token request as Spring Authorization Server does, except that a request without
 * {@code scope} asks for every scope the client has (RFC 6749 3.3 lets the server choose a default), rather than
 * for a token with none. A request naming scopes gets exactly those, or {@code invalid_scope}.
 */
public final class DefaultScopes implements AuthenticationConverter {

    private final OAuth2ClientCredentialsAuthenticationConverter delegate = new OAuth2ClientCredentialsAuthenticationConverter();

    @Override
    public Authentication convert(HttpServletRequest request) {
        Authentication converted = delegate.convert(request);
        if (converted instanceof OAuth2ClientCredentialsAuthenticationToken token
                && token.getScopes().isEmpty()
                && token.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                && client.isAuthenticated()
                && client.getRegisteredClient() != null) {
            RegisteredClient registeredClient = client.getRegisteredClient();
            return new OAuth2ClientCredentialsAuthenticationToken(client, registeredClient.getScopes(),
                    token.getAdditionalParameters());
        }
        return converted;
    }
}
