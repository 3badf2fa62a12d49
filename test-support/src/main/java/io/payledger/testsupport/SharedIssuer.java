package io.payledger.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.payledger.identity.keys.SigningKeys;
import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One real identity-service per test JVM, on a free port, started on first use and closed when the JVM exits, with
 * a fixed set of test clients. Tests get tokens from it over HTTP as any client would ({@link #token(String)}), and
 * point a resource server at it with {@link #resourceServerProperties()}.
 *
 * <p>A module using it declares {@code io.payledger:identity-service} as a test dependency (test-support has it
 * as an optional one).
 */
public final class SharedIssuer {

    /** Every scope there is. */
    public static final String OPERATOR = "test-operator";
    /** A producer and reader of its own payments and accounts. */
    public static final String CLIENT_A = "test-client-a";
    /** Another such client, to show that clients are kept apart. */
    public static final String CLIENT_B = "test-client-b";
    /** {@code payments:read} only. */
    public static final String READER = "test-reader";
    /** Scopes as {@link #CLIENT_A}, and a rate limit of its own in every service under test (5 at once, 1 a second). */
    public static final String LIMITED = "test-limited";
    /** payment-service's own client, for looking up accounts at the ledger. */
    public static final String PAYMENT_SERVICE = "payment-service";

    /** The audience the issuer puts in every token, and resource servers require. */
    public static final String AUDIENCE = "payledger";

    private record TestClient(String secret, List<String> scopes) {
    }

    private static final List<String> CLIENT_SCOPES = List.of("payments:write", "payments:read", "accounts:write",
            "accounts:read", "ledger:read", "notifications:read", "webhooks:manage");
    private static final Map<String, TestClient> CLIENTS = clients();

    /** A cached token is used until this long before it expires. */
    private static final Duration REFRESH_AHEAD = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record CachedToken(String value, Instant expiresAt) {
    }

    private static final ConcurrentHashMap<String, CachedToken> TOKENS = new ConcurrentHashMap<>();
    private static String issuerUri;
    private static ConfigurableApplicationContext issuer;

    private SharedIssuer() {
    }

    private static Map<String, TestClient> clients() {
        List<String> everything = new ArrayList<>(CLIENT_SCOPES);
        everything.addAll(List.of("ops", "funding", "accounts:lookup"));
        Map<String, TestClient> clients = new LinkedHashMap<>();
        clients.put(OPERATOR, new TestClient("test-operator-secret", List.copyOf(everything)));
        clients.put(CLIENT_A, new TestClient("test-client-a-secret", CLIENT_SCOPES));
        clients.put(CLIENT_B, new TestClient("test-client-b-secret", CLIENT_SCOPES));
        clients.put(READER, new TestClient("test-reader-secret", List.of("payments:read")));
        clients.put(LIMITED, new TestClient("test-limited-secret", CLIENT_SCOPES));
        clients.put(PAYMENT_SERVICE, new TestClient("payment-service-secret", List.of("accounts:lookup")));
        return Map.copyOf(clients);
    }

    /** The issuer's URL ({@code http://localhost:<port>}), the {@code iss} of its tokens; starts it on first use. */
    public static synchronized String issuerUri() {
        if (issuerUri == null) {
            issuerUri = start();
        }
        return issuerUri;
    }

    /**
     * A valid access token for the client, with all its scopes. One token per client is cached and shared until
     * 30 s before it expires; safe to call from any thread.
     */
    public static String token(String clientId) {
        client(clientId);
        String issuer = issuerUri();
        return TOKENS.compute(clientId, (id, cached) -> cached != null
                && Instant.now().plus(REFRESH_AHEAD).isBefore(cached.expiresAt()) ? cached : fetch(issuer, id)).value();
    }

    /** The client's secret in plain text, for tests that talk to the token endpoint themselves. */
    public static String clientSecret(String clientId) {
        return client(clientId).secret();
    }

    /** The scopes the client has, and its tokens carry. */
    public static List<String> scopes(String clientId) {
        return client(clientId).scopes();
    }

    /**
     * Spring properties that make a service a resource server of this issuer: tokens must be signed by it, issued
     * by it and meant for {@value #AUDIENCE}.
     */
    public static Map<String, String> resourceServerProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", issuerUri());
        properties.put("spring.security.oauth2.resourceserver.jwt.audiences", AUDIENCE);
        return properties;
    }

    /**
     * A token signed with the issuer's own current key, with exactly these claims: for tests of what a
     * resource server refuses although the signature is good (expired, not yet valid, another issuer or
     * audience). {@link #token(String)} is how every other test gets one.
     */
    public static String signedByIssuer(JWTClaimsSet claims) {
        issuerUri();
        RSAKey key = issuer.getBean(SigningKeys.class).signingKey();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** The public keys the issuer publishes at its JWKS endpoint, the signing key first. */
    public static List<JWK> publishedKeys() {
        issuerUri();
        return issuer.getBean(SigningKeys.class).publishedKeys().getKeys();
    }

    /** Spring properties every service under test gets: {@link #LIMITED}'s own rate limit. */
    public static Map<String, String> rateLimitProperties() {
        return Map.of("payledger.rate-limit.clients[" + LIMITED + "].requests-per-second", "1",
                "payledger.rate-limit.clients[" + LIMITED + "].burst", "5");
    }

    private static TestClient client(String clientId) {
        TestClient client = CLIENTS.get(clientId);
        if (client == null) {
            throw new IllegalArgumentException("no test client '" + clientId + "'; there are " + CLIENTS.keySet());
        }
        return client;
    }

    private static String start() {
        try {
            Class.forName("io.payledger.identity.IdentityServiceApplication", false, SharedIssuer.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("SharedIssuer runs identity-service: add io.payledger:identity-service to "
                    + "this module's test dependencies", e);
        }
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freePort();
            try {
                ConfigurableApplicationContext context = io.payledger.identity.IdentityServiceApplication.application()
                        .run(arguments(port));
                Runtime.getRuntime().addShutdownHook(new Thread(context::close, "shared-issuer-shutdown"));
                issuer = context;
                return "http://localhost:" + port;
            } catch (RuntimeException e) {
                if (!portTaken(e)) {
                    throw e;
                }
                last = e; // someone took the free port between our look and Tomcat's bind: try another
            }
        }
        throw last;
    }

    private static String[] arguments(int port) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", String.valueOf(port));
        properties.put("management.server.port", "0");
        properties.put("payledger.identity.issuer-uri", "http://localhost:" + port);
        properties.put("payledger.identity.audience", AUDIENCE);
        int index = 0;
        for (Map.Entry<String, TestClient> client : CLIENTS.entrySet()) {
            String prefix = "payledger.identity.clients[" + index++ + "].";
            properties.put(prefix + "id", client.getKey());
            properties.put(prefix + "secret", "{noop}" + client.getValue().secret());
            properties.put(prefix + "scopes", String.join(",", client.getValue().scopes()));
        }
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    private static CachedToken fetch(String issuer, String clientId) {
        TestClient client = client(clientId);
        String credentials = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + ":" + URLEncoder.encode(client.secret(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        String form = "grant_type=client_credentials&scope="
                + URLEncoder.encode(String.join(" ", client.scopes()), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer + "/oauth2/token"))
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        Instant requested = Instant.now();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the issuer refused a token to " + clientId + ": "
                        + response.statusCode() + " " + response.body());
            }
            JsonNode body = JSON.readTree(response.body());
            return new CachedToken(body.get("access_token").asString(),
                    requested.plusSeconds(body.get("expires_in").asLong()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the issuer at " + issuer + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean portTaken(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException || cause.getClass().getSimpleName().equals("PortInUseException")) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
