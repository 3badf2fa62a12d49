package io.payledger.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real identity-service on free ports, started in-process as the local stack would, and a client for it. */
final class RunningIssuer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final int port;
    final int managementPort;

    private RunningIssuer(ConfigurableApplicationContext context, int port, int managementPort) {
        this.context = context;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Starts an issuer at {@code http://localhost:<free port>} with these properties added. */
    static RunningIssuer start(Map<String, String> properties) {
        int port = freePort();
        int managementPort = freePort();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("server.port", String.valueOf(port));
        all.put("management.server.port", String.valueOf(managementPort));
        all.put("payledger.identity.issuer-uri", "http://localhost:" + port);
        all.putAll(properties);
        List<String> args = new ArrayList<>();
        all.forEach((name, value) -> args.add("--" + name + "=" + value));
        ConfigurableApplicationContext context = IdentityServiceApplication.application().run(args.toArray(String[]::new));
        return new RunningIssuer(context, port, managementPort);
    }

    String issuer() {
        return "http://localhost:" + port;
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** A token request authenticating with HTTP Basic ({@code client_secret_basic}). */
    Response tokenWithBasic(String clientId, String secret, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (scope != null) {
            form.put("scope", scope);
        }
        String basic = Base64.getEncoder().encodeToString((encode(clientId) + ":" + encode(secret))
                .getBytes(StandardCharsets.UTF_8));
        return post("/oauth2/token", form, Map.of("Authorization", "Basic " + basic));
    }

    /** A token request with the credentials in the form ({@code client_secret_post}). */
    Response tokenWithPost(String clientId, String secret, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", secret);
        if (scope != null) {
            form.put("scope", scope);
        }
        return post("/oauth2/token", form, Map.of());
    }

    Response post(String path, Map<String, String> form, Map<String, String> headers) {
        String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(issuer() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request);
    }

    Response get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** The published key set, fetched from the {@code jwks_uri} the discovery document names. */
    JWKSet jwks() {
        String jwksUri = get(issuer() + "/.well-known/openid-configuration").json().get("jwks_uri").asString();
        try {
            return JWKSet.parse(get(jwksUri).body());
        } catch (java.text.ParseException e) {
            throw new AssertionError("JWKS does not parse", e);
        }
    }

    /** Verifies the token's RS256 signature with the published key its {@code kid} names, and returns it parsed. */
    SignedJWT verified(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
                throw new AssertionError("not RS256: " + jwt.getHeader().getAlgorithm());
            }
            String kid = jwt.getHeader().getKeyID();
            if (kid == null) {
                throw new AssertionError("no kid in the header");
            }
            RSAKey key = (RSAKey) jwks().getKeyByKeyId(kid);
            if (key == null) {
                throw new AssertionError("kid " + kid + " is not published");
            }
            if (!jwt.verify(new RSASSAVerifier(key))) {
                throw new AssertionError("signature does not verify with key " + kid);
            }
            return jwt;
        } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
            throw new AssertionError(e);
        }
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }

    record Response(int status, String body) {

        JsonNode json() {
            return JSON.readTree(body);
        }
    }
}
