package io.payledger.payment.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for ledger-service's {@code GET /v1/accounts/{id}}, which payment-service asks before
 * accepting a payment. ledger-service itself is exercised end to end in the local-stack tests.
 */
final class FakeLedgerAccounts implements AutoCloseable {

    /** Under payment-service's 5 s read timeout, so a held lookup is slow, not failed. */
    static final Duration MAX_HOLD = Duration.ofMillis(4_500);

    /** Lookups of one account that wait until released: a slow ledger, for one request. */
    static final class HeldLookups {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        boolean awaitFirstLookup(Duration timeout) throws InterruptedException {
            return arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void release() {
            released.countDown();
        }
    }

    private final Map<String, String> currencies = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final Map<String, HeldLookups> held = new ConcurrentHashMap<>();
    // Its own threads, so a held lookup does not hold up the others.
    private final ExecutorService handlers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-ledger");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpServer server;
    private volatile boolean down;

    FakeLedgerAccounts() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(handlers);
        server.createContext("/v1/accounts/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/v1/accounts/".length());
            lookups.computeIfAbsent(id, ignored -> new AtomicInteger()).incrementAndGet();
            HeldLookups hold = held.get(id);
            if (hold != null) {
                hold.arrived.countDown();
                try {
                    hold.released.await(MAX_HOLD.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
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

    /** From now on, each lookup of the account waits until released (at most {@link #MAX_HOLD}). */
    HeldLookups holdLookupsOf(String accountId) {
        HeldLookups hold = new HeldLookups();
        held.put(accountId, hold);
        return hold;
    }

    /** How often payment-service has asked about the account. */
    int lookupsOf(String accountId) {
        AtomicInteger count = lookups.get(accountId);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
