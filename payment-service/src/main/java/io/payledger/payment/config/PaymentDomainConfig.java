package io.payledger.payment.config;

import io.payledger.payment.accounts.LedgerAccountDirectory;
import io.payledger.payment.domain.AccountDirectory;
import io.payledger.payment.domain.PaymentIntake;
import io.payledger.payment.domain.PaymentStore;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.web.client.RestClient;

@Configuration(proxyBeanMethods = false)
public class PaymentDomainConfig {

    /**
     * payment-service's own client at the issuer ({@code spring.security.oauth2.client.registration.ledger},
     * from {@code PAYMENT_CLIENT_ID}, {@code PAYMENT_CLIENT_SECRET}, {@code OAUTH2_TOKEN_URI}): the token it
     * asks the ledger about accounts with (client credentials, scope {@code accounts:lookup}).
     */
    static final String LEDGER_CLIENT = "ledger";

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AccountDirectory accountDirectory(@Value("${payledger.ledger-url}") String ledgerUrl,
                                      ClientRegistrationRepository registrations,
                                      OAuth2AuthorizedClientService authorizedClients) {
        ClientRegistration client = ledgerClient(registrations);
        JdkClientHttpRequestFactory requests = requestFactory();
        AuthorizedClientServiceOAuth2AuthorizedClientManager tokens =
                new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, authorizedClients);
        tokens.setAuthorizedClientProvider(clientCredentials(requests));
        OAuth2ClientHttpRequestInterceptor bearer = new OAuth2ClientHttpRequestInterceptor(tokens);
        bearer.setClientRegistrationIdResolver(request -> LEDGER_CLIENT);
        // The service's own token, whoever's request it is serving: one token, cached until it expires.
        Authentication service = new AnonymousAuthenticationToken(client.getClientId(), client.getClientId(),
                AuthorityUtils.createAuthorityList("ROLE_SERVICE"));
        bearer.setPrincipalResolver(request -> service);
        // A token the ledger refuses (401, 403) is forgotten, so the next request gets a new one.
        bearer.setAuthorizationFailureHandler(OAuth2ClientHttpRequestInterceptor.authorizationFailureHandler(authorizedClients));
        RestClient ledger = RestClient.builder().baseUrl(ledgerUrl).requestFactory(requests)
                .requestInterceptor(bearer).build();
        return new LedgerAccountDirectory(ledger);
    }

    @Bean
    PaymentIntake paymentIntake(PaymentStore store, AccountDirectory accounts, Clock clock) {
        return new PaymentIntake(store, accounts, clock, UUID::randomUUID);
    }

    /** The registration, refused at start-up unless it has a secret and asks for client credentials. */
    private static ClientRegistration ledgerClient(ClientRegistrationRepository registrations) {
        ClientRegistration client = registrations.findByRegistrationId(LEDGER_CLIENT);
        if (client == null || !AuthorizationGrantType.CLIENT_CREDENTIALS.equals(client.getAuthorizationGrantType())) {
            throw new IllegalStateException("spring.security.oauth2.client.registration." + LEDGER_CLIENT
                    + " must be a client_credentials registration: payment-service's own client at the issuer");
        }
        if (client.getClientSecret() == null || client.getClientSecret().isBlank()) {
            throw new IllegalStateException("PAYMENT_CLIENT_SECRET is required: the secret of payment-service's client ("
                    + client.getClientId() + ") at the issuer, for the token it asks ledger-service about accounts with");
        }
        return client;
    }

    /** Tokens from the issuer's token endpoint, with the same time limits as the ledger's own calls. */
    private static ClientCredentialsOAuth2AuthorizedClientProvider clientCredentials(JdkClientHttpRequestFactory requests) {
        RestClientClientCredentialsTokenResponseClient tokenEndpoint = new RestClientClientCredentialsTokenResponseClient();
        tokenEndpoint.setRestClient(RestClient.builder().requestFactory(requests)
                .messageConverters(List.of(new FormHttpMessageConverter(), new OAuth2AccessTokenResponseHttpMessageConverter()))
                .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
                .build());
        ClientCredentialsOAuth2AuthorizedClientProvider provider = new ClientCredentialsOAuth2AuthorizedClientProvider();
        provider.setAccessTokenResponseClient(tokenEndpoint);
        return provider;
    }

    private static JdkClientHttpRequestFactory requestFactory() {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
        requests.setReadTimeout(Duration.ofSeconds(5));
        return requests;
    }
}
