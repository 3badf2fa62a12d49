package io.payledger.identity.config;

import io.payledger.identity.clients.ClientSecretEncoder;
import io.payledger.identity.clients.ConfiguredClients;
import io.payledger.identity.token.AccessTokenClaims;
import io.payledger.identity.token.DefaultScopes;
import io.payledger.identity.token.UnstoredAuthorizations;
import jakarta.servlet.DispatcherType;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationServerMetadataClaimNames;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.oidc.OidcProviderMetadataClaimNames;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

/**
 * The authorization server: Spring Authorization Server's endpoints with the client-credentials grant only, the
 * clients from configuration, tokens for the configured audience, and metadata that says exactly that.
 *
 * <p>Endpoints (relative to the issuer URI): {@code POST /oauth2/token}, {@code GET /oauth2/jwks},
 * {@code GET /.well-known/openid-configuration}, {@code GET /.well-known/oauth-authorization-server}. Anything else
 * on the main port is 404. Actuator endpoints live on the management port and are open there.
 */
@Configuration(proxyBeanMethods = false)
public class AuthorizationServerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuthorizationServerConfiguration.class);

    @Bean
    AuthorizationServerSettings authorizationServerSettings(IdentityProperties properties) {
        return AuthorizationServerSettings.builder().issuer(properties.issuerUri().toString()).build();
    }

    @Bean
    ConfiguredClients registeredClientRepository(IdentityProperties properties) {
        ConfiguredClients clients = new ConfiguredClients(properties);
        if (clients.clientIds().isEmpty()) {
            log.warn("No clients configured (payledger.identity.clients): every token request will be refused");
        }
        log.info("Issuing tokens as {} for audience '{}', valid {}, signing key rotated every {}; clients: {}",
                properties.issuerUri(), properties.audience(), properties.tokenTtl(), properties.keyRotation(),
                clients.clientIds());
        return clients;
    }

    @Bean
    PasswordEncoder clientSecretEncoder() {
        return new ClientSecretEncoder();
    }

    @Bean
    OAuth2AuthorizationService authorizationService() {
        return new UnstoredAuthorizations();
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> accessTokenClaims(IdentityProperties properties) {
        return new AccessTokenClaims(properties.audience());
    }

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerFilterChain(HttpSecurity http, IdentityProperties properties) {
        Consumer<Map<String, Object>> metadata = truthfulMetadata(properties);
        http.oauth2AuthorizationServer(server -> {
            http.securityMatcher(server.getEndpointsMatcher());
            server.tokenEndpoint(token -> token.accessTokenRequestConverter(new DefaultScopes()))
                    .authorizationServerMetadataEndpoint(endpoint -> endpoint
                            .authorizationServerMetadataCustomizer(builder -> builder.claims(metadata)))
                    .oidc(oidc -> oidc.providerConfigurationEndpoint(endpoint -> endpoint
                            .providerConfigurationCustomizer(builder -> builder.claims(metadata))));
        });
        http.authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain managementFilterChain(HttpSecurity http) {
        http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /** Nothing else is served: a request for anything else is 404, errors are rendered as usual. */
    @Bean
    @Order(3)
    SecurityFilterChain everythingElseFilterChain(HttpSecurity http) {
        http.authorizeHttpRequests(authorize -> authorize
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .anyRequest().denyAll())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.NOT_FOUND)))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    /**
     * Metadata that describes this server rather than Spring Authorization Server's full feature set: the one grant,
     * the two client authentication methods, the configured scopes; no introspection or revocation endpoint (tokens
     * are not stored, see {@link UnstoredAuthorizations}), and none of the endpoints and features that only serve
     * users, browsers or sender-constrained tokens. OpenID Connect discovery requires an authorization endpoint and
     * response types: those stay, and the authorization endpoint refuses every client, none having that grant.
     */
    private static Consumer<Map<String, Object>> truthfulMetadata(IdentityProperties properties) {
        List<String> scopes = List.copyOf(new TreeSet<>(properties.clients().stream()
                .flatMap(client -> client.scopes().stream()).toList()));
        return claims -> {
            claims.put(OAuth2AuthorizationServerMetadataClaimNames.GRANT_TYPES_SUPPORTED,
                    List.of(AuthorizationGrantType.CLIENT_CREDENTIALS.getValue()));
            claims.put(OAuth2AuthorizationServerMetadataClaimNames.TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED,
                    List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue(),
                            ClientAuthenticationMethod.CLIENT_SECRET_POST.getValue()));
            if (scopes.isEmpty()) {
                claims.remove(OAuth2AuthorizationServerMetadataClaimNames.SCOPES_SUPPORTED);
            } else {
                claims.put(OAuth2AuthorizationServerMetadataClaimNames.SCOPES_SUPPORTED, scopes);
            }
            // Nothing here for browsers, mutual TLS or sender-constrained tokens.
            claims.remove(OAuth2AuthorizationServerMetadataClaimNames.CODE_CHALLENGE_METHODS_SUPPORTED);
            claims.remove(OAuth2AuthorizationServerMetadataClaimNames.TLS_CLIENT_CERTIFICATE_BOUND_ACCESS_TOKENS);
            claims.remove(OAuth2AuthorizationServerMetadataClaimNames.DPOP_SIGNING_ALG_VALUES_SUPPORTED);
            claims.remove(OidcProviderMetadataClaimNames.USER_INFO_ENDPOINT);
            claims.remove(OidcProviderMetadataClaimNames.END_SESSION_ENDPOINT);
            claims.remove(OAuth2AuthorizationServerMetadataClaimNames.INTROSPECTION_ENDPOINT);
            claims.remove(OAuth2AuthorizationServerMetadataClaimNames.INTROSPECTION_ENDPOINT_AUTH_METHODS_SUPPORTED);
            claims.remove(OAuth2AuthorizationServerMetadataClaimNames.REVOCATION_ENDPOINT);
            claims.remove(OAuth2AuthorizationServerMetadataClaimNames.REVOCATION_ENDPOINT_AUTH_METHODS_SUPPORTED);
        };
    }
}
