package io.payledger.notification.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.payledger.notification.domain.WebhookSignature;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP webhook receiver on localhost that answers 200, answers 500, or hangs (its handler blocks on a latch
 * until {@link #release()}), switchable while it runs. It records every request in arrival order.
 */
final class WebhookReceiver implements AutoCloseable {

    enum Mode { OK, FAIL, HANG }

    /** One request as it arrived, with the mode it met. */
    record Received(String deliveryId, String timestamp, String signature, String body, Mode mode) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        String paymentId() {
            return json().get("data").get("paymentId").asString();
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch hang = new CountDownLatch(1);
    private final AtomicInteger answered = new AtomicInteger();
    private volatile Mode mode;
    private volatile Consumer<Received> onRequest = request -> { };

    WebhookReceiver(Mode mode) throws IOException {
        this.mode = mode;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    /** Called with each request as it arrives, before it is answered. */
    void onRequest(Consumer<Received> listener) {
        this.onRequest = listener;
    }

    /** Lets every hanging handler answer (200). */
    void release() {
        hang.countDown();
    }

    boolean released() {
        return hang.getCount() == 0;
    }

    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    List<Received> received(Mode mode) {
        return received().stream().filter(r -> r.mode() == mode).toList();
    }

    /** Requests the receiver has answered (a hanging one has not, until released). */
    int answered() {
        return answered.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Mode met = mode;
            Received request = new Received(exchange.getRequestHeaders().getFirst(WebhookSignature.ID_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), met);
            received.add(request);
            onRequest.accept(request);
            if (met == Mode.HANG) {
                hang.await();
            }
            int status = met == Mode.FAIL ? 500 : 200;
            exchange.sendResponseHeaders(status, -1);
            answered.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
