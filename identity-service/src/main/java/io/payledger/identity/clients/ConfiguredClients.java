package io.payledger.identity.clients;

import io.payledger.identity.config.IdentityProperties;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The clients from configuration, and no others: each may use the client-credentials grant, authenticating with
 * its secret as HTTP Basic ({@code client_secret_basic}) or form parameters ({@code client_secret_post}), and
 * receives self-contained JWT access tokens. The configuration is the only source: nothing is ever saved.
 */
public final class ConfiguredClients implements RegisteredClientRepository {

    private final Map<String, RegisteredClient> byClientId = new LinkedHashMap<>();

    public ConfiguredClients(IdentityProperties properties) {
        TokenSettings tokenSettings = TokenSettings.builder()
                .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                .accessTokenTimeToLive(properties.tokenTtl())
                .build();
        for (IdentityProperties.Client client : properties.clients()) {
            byClientId.put(client.id(), RegisteredClient.withId(client.id())
                    .clientId(client.id())
                    .clientName(client.id())
                    .clientSecret(client.secret())
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                    .scopes(scopes -> scopes.addAll(client.scopes()))
                    .tokenSettings(tokenSettings)
                    .build());
        }
    }

    /** The IDs of the configured clients, in configuration order. */
    public Set<String> clientIds() {
        return Collections.unmodifiableSet(byClientId.keySet());
    }

    @Override
    public RegisteredClient findById(String id) {
        return byClientId.get(id);
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return byClientId.get(clientId);
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("clients come from configuration (payledger.identity.clients)");
    }
}
