package io.payledger.identity.token;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Keeps no record of issued tokens. Access tokens are self-contained JWTs that resource servers verify against
 * the published keys, so nothing needs them stored; Spring Authorization Server's default in-memory store would
 * keep every token ever issued until the process ends. The consequence: token introspection answers
 * {@code active: false} and revocation has no effect, which is why the metadata advertises neither.
 */
public final class UnstoredAuthorizations implements OAuth2AuthorizationService {

    @Override
    public void save(OAuth2Authorization authorization) {
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return null;
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return null;
    }
}
