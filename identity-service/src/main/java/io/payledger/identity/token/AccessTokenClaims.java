package io.payledger.identity.token;

import java.util.List;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Makes every access token name the platform, not the client, as its audience: Spring Authorization Server puts
 * the client ID in {@code aud}, while the resource servers accept {@code payledger.identity.audience}. The client
 * ID stays in {@code sub} and is also given as {@code client_id} (RFC 9068).
 */
public final class AccessTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final String audience;

    public AccessTokenClaims(String audience) {
        this.audience = audience;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            return;
        }
        context.getClaims()
                .audience(List.of(audience))
                .claim("client_id", context.getRegisteredClient().getClientId());
    }
}
