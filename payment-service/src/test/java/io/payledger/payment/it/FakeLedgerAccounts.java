package io.payledger.payment.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for ledger-service's {@code GET /v1/accounts/{id}}, which payment-service asks before
 * accepting a payment. ledger-service itself is exercised end to end in the local-stack tests.
 */
final class FakeLedgerAccounts implements AutoCloseable {

    private final Map<String, String> currencies = new ConcurrentHashMap<>();
    private final HttpServer server;
    private volatile boolean down;

    FakeLedgerAccounts() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/accounts/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/v1/accounts/".length());
            String currency = currencies.get(id);
            int status = down ? 503 : currency == null ? 404 : 200;
            String body = status == 200 ? "{\"accountId\":\"" + id + "\",\"currency\":\"" + currency + "\"}" : "{}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    void open(String accountId, String currency) {
        currencies.put(accountId, currency);
    }

    void down(boolean down) {
        this.down = down;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
