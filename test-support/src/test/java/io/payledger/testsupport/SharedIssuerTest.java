package io.payledger.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SharedIssuerTest {

    @Test
    void aTokenForAClientIsSignedByTheIssuerAndCarriesTheClientsScopes() throws Exception {
        // Given the shared issuer
        // When a test asks for test-client-a's token
        String token = SharedIssuer.token(SharedIssuer.CLIENT_A);

        // Then it verifies against the issuer's published keys and names the client, its scopes and the audience
        SignedJWT jwt = SignedJWT.parse(token);
        HttpApi issuer = new HttpApi(SharedIssuer.issuerUri());
        JWKSet keys = JWKSet.parse(issuer.get("/oauth2/jwks").body());
        RSAKey key = (RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(SharedIssuer.issuerUri());
        assertThat(claims.getSubject()).isEqualTo(SharedIssuer.CLIENT_A);
        assertThat(claims.getAudience()).containsExactly(SharedIssuer.AUDIENCE);
        assertThat(claims.getStringListClaim("scope")).containsExactlyInAnyOrder("payments:write", "payments:read",
                "accounts:write", "accounts:read", "ledger:read", "notifications:read", "webhooks:manage");
        // and the reader's token has its one scope
        assertThat(SignedJWT.parse(SharedIssuer.token(SharedIssuer.READER)).getJWTClaimsSet()
                .getStringListClaim("scope")).containsExactly("payments:read");
    }

    @Test
    void aClientsTokenIsCachedAndSharedAcrossThreads() throws Exception {
        // Given a token already fetched for a client
        String first = SharedIssuer.token(SharedIssuer.CLIENT_B);

        // When threads ask for that client's token at once
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> tokens = threads.invokeAll(java.util.Collections.nCopies(16,
                    () -> SharedIssuer.token(SharedIssuer.CLIENT_B)));

            // Then they all get the cached one, while another client gets its own
            for (Future<String> token : tokens) {
                assertThat(token.get()).isEqualTo(first);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(SharedIssuer.token(SharedIssuer.CLIENT_A)).isNotEqualTo(first);
    }

    @Test
    void theTestClientsAndTheirScopes() {
        assertThat(SharedIssuer.scopes(SharedIssuer.OPERATOR)).containsExactlyInAnyOrder("payments:write",
                "payments:read", "accounts:write", "accounts:read", "ledger:read", "notifications:read", "webhooks:manage", "ops",
                "funding", "accounts:lookup");
        assertThat(SharedIssuer.scopes(SharedIssuer.PAYMENT_SERVICE)).containsExactly("accounts:lookup");
        assertThat(Set.copyOf(SharedIssuer.scopes(SharedIssuer.CLIENT_A)))
                .isEqualTo(Set.copyOf(SharedIssuer.scopes(SharedIssuer.CLIENT_B)));
        assertThat(SharedIssuer.clientSecret(SharedIssuer.READER)).isNotBlank();
        assertThatThrownBy(() -> SharedIssuer.token("nobody")).hasMessageContaining("no test client 'nobody'");
    }

    @Test
    void resourceServerPropertiesPointAtTheIssuerAndTheAudience() {
        assertThat(SharedIssuer.resourceServerProperties())
                .containsEntry("spring.security.oauth2.resourceserver.jwt.issuer-uri", SharedIssuer.issuerUri())
                .containsEntry("spring.security.oauth2.resourceserver.jwt.audiences", "payledger");
        // and the issuer answers discovery at that URI
        HttpApi.Response discovery = new HttpApi(SharedIssuer.issuerUri()).get("/.well-known/openid-configuration");
        assertThat(discovery.status()).isEqualTo(200);
        assertThat(discovery.json().get("issuer").asString()).isEqualTo(SharedIssuer.issuerUri());
    }
}
