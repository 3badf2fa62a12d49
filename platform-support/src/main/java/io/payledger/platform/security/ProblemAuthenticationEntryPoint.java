package io.payledger.platform.security;

import io.payledger.platform.web.ProblemJson;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 for a missing or invalid token: Spring's bearer-token entry point says why in
 * {@code WWW-Authenticate} (RFC 6750), and the body is a problem like every other refusal. The detail
 * never quotes the token.
 */
final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    static final String TYPE = "unauthorized";

    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        bearer.commence(request, response, failure);
        String detail = request.getHeader("Authorization") == null
                ? "a bearer token is required: Authorization: Bearer <access token>"
                : "the bearer token is not valid here (signature, issuer, audience, expiry): get a new one";
        ProblemJson.write(response, HttpServletResponse.SC_UNAUTHORIZED, TYPE, detail);
    }
}
