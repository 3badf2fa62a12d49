package io.payledger.platform.security;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.JwkSetUriJwtDecoderBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every service is an OAuth2 resource server, configured here once: a JWT checked for signature
 * (RS256, keys from the issuer's JWKS), issuer, audience, expiry and not-before (Spring Boot's
 * {@code spring.security.oauth2.resourceserver.jwt.*}, set from {@code OAUTH2_*} in
 * payledger-defaults.properties); the scope each endpoint needs from the service's
 * {@link EndpointScopes} bean; 401 and 403 as problems with {@code WWW-Authenticate}; a per-client
 * rate limit. Health and metrics are on the management port ({@code management.server.port}), outside
 * the public API, and need no token; so does GET on the OpenAPI document ({@link PublicApiDocs}).
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration",
        // A service that calls others with a token of its own has the OAuth2 client: its filter chain (a
        // login page) is only for an application without one, so ours must be there first.
        "org.springframework.boot.security.oauth2.client.autoconfigure.servlet.OAuth2ClientWebSecurityAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({SecurityFilterChain.class, BearerTokenAuthenticationFilter.class})
@EnableConfigurationProperties(RateLimitSettings.class)
@EnableWebSecurity
public class PlatformSecurityAutoConfiguration {

    /** How long fetching the issuer's discovery document or its JWKS may take to connect. */
    static final Duration ISSUER_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** How long it may then wait for the answer. */
    static final Duration ISSUER_READ_TIMEOUT = Duration.ofSeconds(5);

    /**
     * The one outbound HTTP client every service has: the issuer's discovery document and keys, which it
     * fetches to check tokens. With time limits, so an issuer that does not answer fails a request's token
     * check (401) within seconds instead of holding the request thread for ever.
     */
    @Bean
    JwkSetUriJwtDecoderBuilderCustomizer issuerTimeouts() {
        return builder -> builder.restOperations(issuerClient());
    }

    static RestTemplate issuerClient() {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(ISSUER_CONNECT_TIMEOUT);
        requests.setReadTimeout(ISSUER_READ_TIMEOUT);
        return new RestTemplate(requests);
    }

    /** A service without an HTTP API of its own (fraud-service) declares none: every request needs a token. */
    @Bean
    @ConditionalOnMissingBean
    EndpointScopes endpointScopes() {
        return EndpointScopes.define();
    }

    @Bean
    @ConditionalOnMissingBean
    SecurityFilterChain platformSecurityFilterChain(HttpSecurity http, EndpointScopes scopes,
                                                    RateLimitSettings rateLimits, MeterRegistry meters,
                                                    ObjectProvider<JwtAuthenticationConverter> converter,
                                                    Environment environment)
            throws Exception {
        ProblemAccessDeniedHandler accessDenied = new ProblemAccessDeniedHandler(scopes);
        ProblemAuthenticationEntryPoint unauthenticated = new ProblemAuthenticationEntryPoint();
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .authorizeHttpRequests(requests -> {
                    // The actuator lives on the management port, which is not the public one.
                    requests.requestMatchers("/actuator", "/actuator/**", "/error").permitAll();
                    // The OpenAPI document is public documentation: GET on its exact paths, nothing below them.
                    for (String apiDocs : PublicApiDocs.paths(environment)) {
                        requests.requestMatchers(HttpMethod.GET, apiDocs).permitAll();
                    }
                    for (EndpointScopes.Rule rule : scopes.rules()) {
                        requests.requestMatchers(rule.method(), rule.pattern()).hasAnyAuthority(
                                rule.anyOf().stream().map(Scopes::authority).toArray(String[]::new));
                    }
                    requests.anyRequest().authenticated();
                })
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> converter.ifAvailable(jwt::jwtAuthenticationConverter))
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(accessDenied))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(accessDenied))
                .addFilterAfter(new RateLimitFilter(rateLimits, meters), BearerTokenAuthenticationFilter.class);
        return http.build();
    }

    @Bean
    EndpointScopesGuard endpointScopesGuard(RequestMappingHandlerMapping requestMappingHandlerMapping,
                                            EndpointScopes scopes, Environment environment) {
        return new EndpointScopesGuard(requestMappingHandlerMapping, scopes, PublicApiDocs.paths(environment));
    }

    @Bean
    WebMvcConfigurer callerArguments() {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new CallerArgumentResolver());
            }
        };
    }
}
