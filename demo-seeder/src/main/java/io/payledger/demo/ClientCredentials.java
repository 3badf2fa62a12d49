package io.payledger.demo;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OAuth2 client-credentials client of any issuer's token endpoint: the token, fetched again shortly
 * before it expires. What a producer system does to call the APIs; the secret never leaves this object.
 */
public final class ClientCredentials {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern EXPIRES_IN = Pattern.compile("\"expires_in\"\\s*:\\s*(\\d+)");
    private static final Duration EARLY = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI tokenUri;
    private final String clientId;
    private final String clientSecret;
    private String token;
    private Instant renewAt = Instant.MIN;

    public ClientCredentials(String tokenUri, String clientId, String clientSecret) {
        this.tokenUri = URI.create(tokenUri);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    public String clientId() {
        return clientId;
    }

    /** A valid access token, fetched when the last one is about to expire. */
    public synchronized String token() throws IOException, InterruptedException {
        if (token == null || Instant.now().isAfter(renewAt)) {
            String basic = Base64.getEncoder().encodeToString((encode(clientId) + ":" + encode(clientSecret))
                    .getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(tokenUri)
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Matcher accessToken = ACCESS_TOKEN.matcher(response.body());
            if (response.statusCode() != 200 || !accessToken.find()) {
                // The body is the issuer's error (RFC 6749 5.2); it never holds the secret.
                throw new IOException("no token for client " + clientId + " from " + tokenUri + ": "
                        + response.statusCode() + " " + response.body());
            }
            Matcher expiresIn = EXPIRES_IN.matcher(response.body());
            Duration lifetime = Duration.ofSeconds(expiresIn.find() ? Long.parseLong(expiresIn.group(1)) : 60);
            token = accessToken.group(1);
            renewAt = Instant.now().plus(lifetime).minus(lifetime.compareTo(EARLY.multipliedBy(2)) > 0
                    ? EARLY : lifetime.dividedBy(2));
        }
        return token;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ClientCredentials[" + clientId + " at " + tokenUri + "]";
    }
}
