package io.payledger.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP client for a service under test; responses come back as status, headers and JSON. Given a bearer token
 * source, it sends {@code Authorization: Bearer <token>} with every request, unless the request names its own
 * {@code Authorization} header.
 */
public final class HttpApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final Supplier<String> bearerToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A client that sends no {@code Authorization} header. */
    public HttpApi(String baseUrl) {
        this.baseUrl = baseUrl;
        this.bearerToken = null;
    }

    /**
     * A client that sends {@code Authorization: Bearer <token>} with every request, asking {@code bearerToken} for
     * the token each time (e.g. {@code () -> SharedIssuer.token(SharedIssuer.CLIENT_A)}, which caches).
     */
    public HttpApi(String baseUrl, Supplier<String> bearerToken) {
        this.baseUrl = baseUrl;
        this.bearerToken = Objects.requireNonNull(bearerToken, "bearerToken");
    }

    public record Response(int status, HttpResponse<String> raw) {

        public JsonNode json() {
            return JSON.readTree(raw.body());
        }

        public String body() {
            return raw.body();
        }

        public String contentType() {
            return raw.headers().firstValue("Content-Type").orElse("");
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Response get(String path) {
        return get(path, Map.of());
    }

    public Response get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
        headers.forEach(request::header);
        return send(request, headers);
    }

    public Response post(String path, String json) {
        return post(path, json, Map.of());
    }

    public Response post(String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return send(request, headers);
    }

    public static String toJson(Object value) {
        return JSON.writeValueAsString(value);
    }

    private Response send(HttpRequest.Builder request, Map<String, String> headers) {
        if (bearerToken != null && headers.keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
            request.header("Authorization", "Bearer " + bearerToken.get());
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response);
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
