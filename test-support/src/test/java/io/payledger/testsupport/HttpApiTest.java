package io.payledger.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpApiTest {

    private HttpServer server;
    private String baseUrl;

    @BeforeEach
    void startEchoServer() throws IOException {
        // Answers with the Authorization header it got, or "none"
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", exchange -> {
            String authorization = String.join("|", exchange.getRequestHeaders()
                    .getOrDefault("Authorization", java.util.List.of("none")));
            byte[] body = authorization.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        baseUrl = "http://localhost:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void withABearerTokenSourceEveryRequestCarriesTheCurrentToken() {
        // Given a client whose token source hands out a new token each time
        AtomicInteger calls = new AtomicInteger();
        HttpApi api = new HttpApi(baseUrl, () -> "token-" + calls.incrementAndGet());

        // When it sends requests
        // Then each carries the token of the moment
        assertThat(api.get("/a").body()).isEqualTo("Bearer token-1");
        assertThat(api.post("/b", "{}").body()).isEqualTo("Bearer token-2");
        assertThat(api.get("/c", Map.of("X-Other", "1")).body()).isEqualTo("Bearer token-3");
        // unless the request brings its own Authorization header, which is then the only one
        assertThat(api.get("/d", Map.of("authorization", "Bearer forged")).body()).isEqualTo("Bearer forged");
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void withoutATokenSourceNoAuthorizationIsSent() {
        HttpApi api = new HttpApi(baseUrl);

        assertThat(api.get("/a").body()).isEqualTo("none");
        assertThat(api.post("/b", "{}", Map.of("Idempotency-Key", "k")).body()).isEqualTo("none");
        assertThat(api.get("/c", Map.of("Authorization", "Basic eDp5")).body()).isEqualTo("Basic eDp5");
    }
}
