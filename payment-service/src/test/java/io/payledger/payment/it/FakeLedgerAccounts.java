package io.payledger.payment.it;

import com.sun.net.httpserver.HttpServer;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.SharedIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for ledger-service's {@code GET /v1/accounts/{id}}, which payment-service asks before
 * accepting a payment: the account's currency, type and owner, answered only to a bearer token of
 * payment-service's own client with scope {@code accounts:lookup} (401 otherwise, as the ledger would;
 * the token's signature is the real ledger's to check). ledger-service itself is exercised end to end in
 * the local-stack tests.
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

    private record Account(String currency, String type, String owner) {
    }

    /** The client whose token payment-service must ask with, and the scope it must carry. */
    private static final String EXPECTED_CLIENT = SharedIssuer.PAYMENT_SERVICE;
    private static final String EXPECTED_SCOPE = "accounts:lookup";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    /** Every caller's token subject, and lookups refused for want of the right token. */
    private final Set<String> askedBy = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refusedLookups = new AtomicInteger();
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
            Account account = accounts.get(id);
            boolean authorized = authorized(exchange.getRequestHeaders().getFirst("Authorization"));
            int status = down ? 503 : !authorized ? 401 : account == null ? 404 : 200;
            String body = status == 200 ? HttpApi.toJson(view(id, account)) : "{}";
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

    /** A CUSTOMER account of {@code owner} (null: one opened before accounts had owners). */
    void open(String accountId, String currency, String owner) {
        accounts.put(accountId, new Account(currency, "CUSTOMER", owner));
    }

    /** A SYSTEM account (settlement, funding), opened by an operator. */
    void openSystem(String accountId, String currency) {
        accounts.put(accountId, new Account(currency, "SYSTEM", SharedIssuer.OPERATOR));
    }

    /** The subjects of the tokens payment-service asked with. */
    Set<String> askedBy() {
        return Set.copyOf(askedBy);
    }

    /** Lookups refused for want of payment-service's own token with scope accounts:lookup. */
    int refusedLookups() {
        return refusedLookups.get();
    }

    private static Map<String, Object> view(String accountId, Account account) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("accountId", accountId);
        view.put("currency", account.currency());
        view.put("type", account.type());
        view.put("balanceMinor", 0);
        view.put("owner", account.owner());
        return view;
    }

    /** A bearer JWT of payment-service's client with the lookup scope; its signature is not this fake's to check. */
    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.split("\\.").length != 3) {
            refusedLookups.incrementAndGet();
            return false;
        }
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(authorization.split("\\.")[1]));
        String subject = claims.path("sub").asString();
        askedBy.add(subject);
        List<String> scopes = new ArrayList<>();
        if (claims.path("scope").isArray()) {
            claims.get("scope").forEach(scope -> scopes.add(scope.asString()));
        } else {
            scopes.addAll(List.of(claims.path("scope").asString().split(" ")));
        }
        boolean ok = EXPECTED_CLIENT.equals(subject) && scopes.contains(EXPECTED_SCOPE);
        if (!ok) {
            refusedLookups.incrementAndGet();
        }
        return ok;
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
