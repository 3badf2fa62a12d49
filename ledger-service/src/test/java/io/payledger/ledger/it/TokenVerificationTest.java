package io.payledger.ledger.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.SharedIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every API answers only a token of the configured issuer, for the platform's audience, valid now, and
 * with the endpoint's scope; the tokens here come from the real issuer (or are made to differ from one
 * in exactly one way, signed with its own key). ledger-service stands for every service: the checks
 * are platform-support's.
 */
@LedgerIntegrationTest
class TokenVerificationTest {

    private static final String ACCOUNT = "/v1/accounts/no-such-account-" + UUID.randomUUID();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    private HttpApi.Response getWith(String token) {
        HttpApi api = new HttpApi("http://localhost:" + port);
        return token == null ? api.get(ACCOUNT) : api.get(ACCOUNT, Map.of("Authorization", "Bearer " + token));
    }

    private static JWTClaimsSet.Builder validClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(SharedIssuer.issuerUri())
                .subject(SharedIssuer.CLIENT_A)
                .audience(SharedIssuer.AUDIENCE)
                .claim("scope", List.of("accounts:read"))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString());
    }

    private static void assertUnauthorized(HttpApi.Response response, boolean tokenGiven) {
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("urn:payledger:problem:unauthorized");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        if (tokenGiven) {
            assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        }
    }

    @Test
    void aTokenOfTheIssuerWithTheScopeIsLetThrough() {
        // Given a token the issuer gave client A, and a claim set the test signs with the issuer's key
        // When either reads an account that does not exist
        // Then the request reaches the controller: a 404, not a 401 (which shows the forged ones below fail for their one flaw)
        assertThat(getWith(SharedIssuer.token(SharedIssuer.CLIENT_A)).status()).isEqualTo(404);
        assertThat(getWith(SharedIssuer.signedByIssuer(validClaims().build())).status()).isEqualTo(404);
    }

    @Test
    void noTokenIs401WithTheBearerChallenge() {
        assertUnauthorized(getWith(null), false);
    }

    @Test
    void anExpiredTokenIs401() {
        Instant past = Instant.now().minusSeconds(600);
        assertUnauthorized(getWith(SharedIssuer.signedByIssuer(validClaims().issueTime(Date.from(past))
                .notBeforeTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(300))).build())), true);
    }

    @Test
    void aTokenNotYetValidIs401() {
        assertUnauthorized(getWith(SharedIssuer.signedByIssuer(validClaims()
                .notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build())), true);
    }

    @Test
    void aTokenFromAnotherIssuerIs401EvenWithOurSignature() {
        assertUnauthorized(getWith(SharedIssuer.signedByIssuer(validClaims().issuer("https://issuer.example").build())), true);
    }

    @Test
    void aTokenForAnotherAudienceIs401() {
        assertUnauthorized(getWith(SharedIssuer.signedByIssuer(validClaims().audience("another-api").build())), true);
        assertUnauthorized(getWith(SharedIssuer.signedByIssuer(validClaims().audience((String) null).build())), true);
    }

    @Test
    void anUnsignedTokenIs401() {
        assertUnauthorized(getWith(new PlainJWT(validClaims().build()).serialize()), true);
    }

    @Test
    void aTamperedTokenIs401() {
        // Given a real token whose payload is swapped for one granting more, the signature kept
        String[] parts = SharedIssuer.token(SharedIssuer.READER).split("\\.");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(validClaims()
                .claim("scope", List.of("accounts:read", "ops")).build().toString().getBytes(StandardCharsets.UTF_8));

        // Then it is refused
        assertUnauthorized(getWith(parts[0] + "." + forged + "." + parts[2]), true);
    }

    @Test
    void aTokenSignedByAnotherKeyOrWithTheAlgorithmSwappedIs401() throws Exception {
        // Given a key of our own that claims the issuer's current key ID
        RSAKey issuersKey = RSAKey.parse(SharedIssuer.publishedKeys().get(0).toJSONObject());
        RSAKey impostor = new RSAKeyGenerator(2048).keyID(issuersKey.getKeyID()).generate();
        SignedJWT otherKey = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuersKey.getKeyID()).build(),
                validClaims().build());
        otherKey.sign(new RSASSASigner(impostor));
        // And a token "signed" with HS256 keyed by the issuer's public key (the algorithm-confusion attack)
        byte[] publicKey = issuersKey.toRSAPublicKey().getEncoded();
        SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(issuersKey.getKeyID()).build(),
                validClaims().build());
        confused.sign(new MACSigner(publicKey));

        // Then both are refused
        assertUnauthorized(getWith(otherKey.serialize()), true);
        assertUnauthorized(getWith(confused.serialize()), true);
    }

    @Test
    void aTokenWithoutTheEndpointsScopeIs403WithInsufficientScope() {
        // Given a token with payments:read only
        HttpApi asReader = new HttpApi("http://localhost:" + port, () -> SharedIssuer.token(SharedIssuer.READER));

        // When it reads an account, and opens one
        HttpApi.Response read = asReader.get(ACCOUNT);
        HttpApi.Response open = asReader.post("/v1/accounts", "{\"currency\":\"USD\",\"type\":\"CUSTOMER\"}");

        // Then both are 403 problems naming the scope, with the RFC 6750 challenge
        for (HttpApi.Response response : List.of(read, open)) {
            assertThat(response.status()).as(response.body()).isEqualTo(403);
            assertThat(response.json().get("type").asText()).isEqualTo("urn:payledger:problem:insufficient-scope");
            assertThat(response.header("WWW-Authenticate")).contains("insufficient_scope");
        }
        assertThat(open.json().get("detail").asText()).contains("accounts:write");
    }

    @Test
    void aBurstOverTheClientsLimitIs429WhileTheManagementPortAnswers() {
        // Given the limited client (5 at once, 1 a second), and the management port
        HttpApi limited = new HttpApi("http://localhost:" + port, () -> SharedIssuer.token(SharedIssuer.LIMITED));
        HttpApi management = new HttpApi("http://localhost:" + managementPort);

        // When it sends a burst of 10
        List<HttpApi.Response> burst = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            burst.add(limited.get(ACCOUNT));
        }

        // Then the first is let through, later ones are 429 with Retry-After and the rate-limit headers
        assertThat(burst.get(0).status()).isEqualTo(404);
        assertThat(burst.get(0).header("RateLimit-Policy")).isEqualTo("\"client\";q=5;w=5");
        HttpApi.Response refused = burst.stream().filter(r -> r.status() == 429).findFirst().orElseThrow(() ->
                new AssertionError("no 429 in " + burst.stream().map(HttpApi.Response::status).toList()));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 2L);
        assertThat(refused.header("RateLimit")).startsWith("\"client\";r=0;");
        assertThat(refused.json().get("type").asText()).isEqualTo("urn:payledger:problem:too-many-requests");
        // And meanwhile health and metrics answer, without a token, on the management port
        assertThat(management.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(management.get("/actuator/prometheus").body()).contains("payledger_http_rate_limited_total");
        // And the public port does not serve them
        assertThat(new HttpApi("http://localhost:" + port).get("/actuator/health").status()).isIn(401, 404);
    }
}
