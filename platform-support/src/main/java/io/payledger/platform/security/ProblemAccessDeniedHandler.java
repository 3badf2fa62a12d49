package io.payledger.platform.security;

import io.payledger.platform.web.ProblemJson;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 403 for a valid token without the endpoint's scope: {@code WWW-Authenticate: Bearer error="insufficient_scope"}. */
final class ProblemAccessDeniedHandler implements AccessDeniedHandler {

    static final String TYPE = "insufficient-scope";

    private final BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();
    private final EndpointScopes scopes;

    ProblemAccessDeniedHandler(EndpointScopes scopes) {
        this.scopes = scopes;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        bearer.handle(request, response, denied);
        ProblemJson.write(response, HttpServletResponse.SC_FORBIDDEN, TYPE,
                "the token lacks the scope this endpoint needs" + scopes.describeFor(request));
    }
}
