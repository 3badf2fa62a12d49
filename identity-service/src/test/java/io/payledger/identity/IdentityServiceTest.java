package io.payledger.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.payledger.identity.keys.SigningKeys;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import tools.jackson.databind.JsonNode;

/** The issuer over real HTTP: tokens, their signatures and claims, refusals, discovery, key rotation, logs. */
class IdentityServiceTest {

    private static final String WRITER = "writer";
    private static final String WRITER_SECRET = "writer-secret-4f1d9c";
    private static final String WRITER_SCOPES = "payments:write payments:read ledger:read";
    private static final String HASHED = "hashed-client";
    private static final String HASHED_SECRET = "hashed-secret-77ab20";
    private static final String AUDIENCE = "payledger-it";
    private static final Duration TTL = Duration.ofMinutes(2);

    private static RunningIssuer issuer;

    @BeforeAll
    static void startIssuer() {
        issuer = RunningIssuer.start(Map.of(
                "payledger.identity.audience", AUDIENCE,
                "payledger.identity.token-ttl", "2m",
                "payledger.identity.clients[0].id", WRITER,
                "payledger.identity.clients[0].secret", "{noop}" + WRITER_SECRET,
                "payledger.identity.clients[0].scopes", "payments:write,payments:read,ledger:read",
                "payledger.identity.clients[1].id", HASHED,
                "payledger.identity.clients[1].secret", "{bcrypt}" + new BCryptPasswordEncoder(4).encode(HASHED_SECRET),
                "payledger.identity.clients[1].scopes", "ops"));
    }

    @AfterAll
    static void stopIssuer() {
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void clientSecretBasicGetsASignedTokenWithTheConfiguredClaims() throws ParseException {
        // Given a configured client
        // When it asks for a token authenticating with HTTP Basic
        Instant before = Instant.now().minusSeconds(1);
        RunningIssuer.Response response = issuer.tokenWithBasic(WRITER, WRITER_SECRET, null);

        // Then it gets a bearer token for all its scopes, whose signature verifies against the published keys
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isBetween(TTL.toSeconds() - 2, TTL.toSeconds());
        assertThat(body.get("scope").asString().split(" ")).containsExactlyInAnyOrder(WRITER_SCOPES.split(" "));
        SignedJWT jwt = issuer.verified(body.get("access_token").asString());
        assertClaims(jwt.getJWTClaimsSet(), WRITER, WRITER_SCOPES.split(" "), before);
    }

    @Test
    void clientSecretPostGetsASignedTokenToo() throws ParseException {
        // Given a configured client
        // When it asks for a token with its credentials in the form
        Instant before = Instant.now().minusSeconds(1);
        RunningIssuer.Response response = issuer.tokenWithPost(WRITER, WRITER_SECRET, WRITER_SCOPES);

        // Then it gets a token as with HTTP Basic
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        SignedJWT jwt = issuer.verified(response.json().get("access_token").asString());
        assertClaims(jwt.getJWTClaimsSet(), WRITER, WRITER_SCOPES.split(" "), before);
    }

    @Test
    void aBcryptHashedSecretAuthenticatesItsClient() throws ParseException {
        // Given a client whose configured secret is a BCrypt hash
        // When it presents the secret itself
        RunningIssuer.Response response = issuer.tokenWithBasic(HASHED, HASHED_SECRET, null);

        // Then it gets a token for its own scopes
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JWTClaimsSet claims = issuer.verified(response.json().get("access_token").asString()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(HASHED);
        assertThat(claims.getStringListClaim("scope")).containsExactly("ops");
        // and presenting the hash instead of the secret is no way in
        assertThat(issuer.tokenWithBasic(HASHED, "{bcrypt}" + HASHED_SECRET, null).status()).isEqualTo(401);
    }

    @Test
    void aWrongSecretIsAnInvalidClient() {
        // Given a configured client
        // When it presents a wrong secret, either way
        RunningIssuer.Response basic = issuer.tokenWithBasic(WRITER, WRITER_SECRET + "x", null);
        RunningIssuer.Response post = issuer.tokenWithPost(WRITER, "wrong", null);

        // Then both are 401 invalid_client, with no token
        for (RunningIssuer.Response response : List.of(basic, post)) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.json().get("error").asString()).isEqualTo("invalid_client");
            assertThat(response.body()).doesNotContain("access_token");
        }
    }

    @Test
    void anUnknownClientIsAnInvalidClient() {
        // Given a client ID the configuration does not name
        // When it asks for a token
        RunningIssuer.Response response = issuer.tokenWithBasic("stranger", WRITER_SECRET, null);

        // Then it is 401 invalid_client
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("error").asString()).isEqualTo("invalid_client");
    }

    @Test
    void aScopeTheClientDoesNotHaveIsAnInvalidScope() {
        // Given a client without the ops scope
        // When it asks for ops, alone or with scopes it has
        RunningIssuer.Response alone = issuer.tokenWithBasic(WRITER, WRITER_SECRET, "ops");
        RunningIssuer.Response mixed = issuer.tokenWithBasic(WRITER, WRITER_SECRET, "payments:read ops");

        // Then both are 400 invalid_scope, with no token
        for (RunningIssuer.Response response : List.of(alone, mixed)) {
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().get("error").asString()).isEqualTo("invalid_scope");
            assertThat(response.body()).doesNotContain("access_token");
        }
    }

    @Test
    void aRequestedSubsetOfScopesIsAllTheTokenCarries() throws ParseException {
        // Given a client with three scopes
        // When it asks for one of them
        RunningIssuer.Response response = issuer.tokenWithBasic(WRITER, WRITER_SECRET, "payments:read");

        // Then the token and the response name that one only
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("scope").asString()).isEqualTo("payments:read");
        JWTClaimsSet claims = issuer.verified(response.json().get("access_token").asString()).getJWTClaimsSet();
        assertThat(claims.getStringListClaim("scope")).containsExactly("payments:read");
    }

    @Test
    void onlyTheClientCredentialsGrantIsServed() {
        // Given a configured client
        // When it tries another grant
        RunningIssuer.Response password = issuer.post("/oauth2/token",
                Map.of("grant_type", "password", "username", "u", "password", "p",
                        "client_id", WRITER, "client_secret", WRITER_SECRET), Map.of());
        RunningIssuer.Response code = issuer.post("/oauth2/token",
                Map.of("grant_type", "authorization_code", "code", "abc", "redirect_uri", "http://localhost/cb",
                        "client_id", WRITER, "client_secret", WRITER_SECRET), Map.of());

        // Then it gets no token
        assertThat(password.status()).isEqualTo(400);
        assertThat(password.json().get("error").asString()).isEqualTo("unsupported_grant_type");
        assertThat(code.status()).isEqualTo(400);
        assertThat(code.body()).doesNotContain("access_token");
    }

    @Test
    void discoveryNamesTheIssuerItsKeysAndWhatItServes() {
        // Given the running issuer
        // When a resource server reads either discovery document
        for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            RunningIssuer.Response response = issuer.get(issuer.issuer() + path);

            // Then it names the configured issuer, the JWKS and token endpoints, and only what is really served
            assertThat(response.status()).as(path).isEqualTo(200);
            JsonNode metadata = response.json();
            assertThat(metadata.get("issuer").asString()).isEqualTo(issuer.issuer());
            assertThat(metadata.get("jwks_uri").asString()).isEqualTo(issuer.issuer() + "/oauth2/jwks");
            assertThat(metadata.get("token_endpoint").asString()).isEqualTo(issuer.issuer() + "/oauth2/token");
            assertThat(strings(metadata.get("grant_types_supported"))).containsExactly("client_credentials");
            assertThat(strings(metadata.get("token_endpoint_auth_methods_supported")))
                    .containsExactly("client_secret_basic", "client_secret_post");
            assertThat(metadata.has("introspection_endpoint")).isFalse();
            assertThat(metadata.has("revocation_endpoint")).isFalse();
        }
        // and the published keys have no private part
        for (JWK key : issuer.jwks().getKeys()) {
            assertThat(key.isPrivate()).isFalse();
            assertThat(key.getKeyID()).isNotBlank();
        }
    }

    @Test
    void afterRotationNewTokensCarryANewKidAndEarlierTokensStillVerify() throws ParseException {
        // Given a token issued before a rotation
        String before = issuer.tokenWithBasic(WRITER, WRITER_SECRET, null).json().get("access_token").asString();
        String oldKid = SignedJWT.parse(before).getHeader().getKeyID();

        // When the keys rotate
        issuer.bean(SigningKeys.class).rotate();
        String after = issuer.tokenWithBasic(WRITER, WRITER_SECRET, null).json().get("access_token").asString();

        // Then a new token is signed with another key, the JWKS publishes both, and both tokens verify
        String newKid = SignedJWT.parse(after).getHeader().getKeyID();
        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(issuer.jwks().getKeys()).extracting(JWK::getKeyID).contains(oldKid, newKid);
        assertThat(issuer.verified(before).getJWTClaimsSet().getSubject()).isEqualTo(WRITER);
        assertThat(issuer.verified(after).getJWTClaimsSet().getSubject()).isEqualTo(WRITER);
    }

    @Test
    void healthIsOnTheManagementPortOnly() {
        // Given the running issuer
        // When health is asked on the management port, and on the main port
        RunningIssuer.Response management = issuer.get("http://localhost:" + issuer.managementPort + "/actuator/health");
        RunningIssuer.Response main = issuer.get(issuer.issuer() + "/actuator/health");

        // Then the management port answers UP and the main port knows no such path
        assertThat(management.status()).isEqualTo(200);
        assertThat(management.json().get("status").asString()).isEqualTo("UP");
        assertThat(main.status()).isEqualTo(404);
    }

    @Test
    void neitherSecretsNorTokensAreLogged() {
        // Given clients that got tokens and clients that presented wrong secrets
        String basic = issuer.tokenWithBasic(WRITER, WRITER_SECRET, null).json().get("access_token").asString();
        String post = issuer.tokenWithPost(HASHED, HASHED_SECRET, null).json().get("access_token").asString();
        issuer.tokenWithBasic(WRITER, "wrong-secret-91c2", null);
        issuer.tokenWithBasic("stranger", "stranger-secret-5be3", null);

        // When everything logged since this JVM started is read
        List<String> logs = CapturedLogs.all();

        // Then no secret, presented or configured, and no token appears in it
        assertThat(logs).isNotEmpty();
        String everything = String.join("\n", logs);
        assertThat(everything).contains("Started IdentityServiceApplication").contains("Issuing tokens as");
        for (String secret : List.of(WRITER_SECRET, HASHED_SECRET, "wrong-secret-91c2", "stranger-secret-5be3",
                "$2a$04$")) {
            assertThat(everything).doesNotContain(secret);
        }
        for (String token : List.of(basic, post)) {
            assertThat(everything).doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        }
    }

    private static void assertClaims(JWTClaimsSet claims, String client, String[] scopes, Instant before)
            throws ParseException {
        assertThat(claims.getIssuer()).isEqualTo(issuer.issuer());
        assertThat(claims.getSubject()).isEqualTo(client);
        assertThat(claims.getAudience()).containsExactly(AUDIENCE);
        assertThat(claims.getStringListClaim("scope")).containsExactlyInAnyOrder(scopes);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(client);
        assertThat(claims.getJWTID()).isNotBlank();
        Instant issuedAt = claims.getIssueTime().toInstant();
        assertThat(issuedAt).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(issuedAt);
        assertThat(Duration.between(issuedAt, claims.getExpirationTime().toInstant())).isEqualTo(TTL);
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }
}
