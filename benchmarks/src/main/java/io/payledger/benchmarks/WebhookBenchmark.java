package io.payledger.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.payledger.demo.ClientCredentials;
import io.payledger.demo.DemoClients;
import io.payledger.events.TransactionPosted;
import io.payledger.localstack.LocalStack;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Webhook delivery to {@value #RECEIVERS} local receivers, each subscribed to {@code accountsPerReceiver}
 * accounts, with all receivers healthy and then with one of them hanging (it never answers). The whole
 * platform runs in this JVM (the local stack); the benchmark writes ledger outcomes
 * ({@code TransactionPosted}) straight onto {@code ledger.transactions}, so what is measured is
 * notification-service's path: consume, record the notification and its deliveries, dispatch, sign, POST.
 * Outcomes are sent at {@code rate} per second (an open model: each latency counts from its scheduled send
 * time, so a stall is not hidden by sending less), or all at once with {@code -Drate=0}. Two latencies per
 * delivery: end to end (scheduled send → arrival at the receiver) and dispatch (notification recorded, the
 * payload's {@code createdAt} → arrival), the second being the webhook machinery alone. Prints progress on
 * stderr and one JSON line on stdout.
 *
 * <p>{@code ./run-benchmark.sh webhooks -Ddeliveries=20000 -Drate=200}
 */
public final class WebhookBenchmark {

    private static final int RECEIVERS = 10;
    private static final Pattern PAYMENT_ID = Pattern.compile("\"paymentId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern CREATED_AT = Pattern.compile("\"createdAt\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration PHASE_DEADLINE = Duration.ofMinutes(10);

    /** One local receiver: answers 204 at once, or (hanging) holds every request until released. */
    private static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final Set<String> deliveryIds = ConcurrentHashMap.newKeySet();
        final AtomicLong duplicates = new AtomicLong();
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean hanging;
        volatile Phase phase;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", this::handle);
            server.start();
        }

        String url() {
            return "http://localhost:" + server.getAddress().getPort() + "/hook";
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (InputStream body = exchange.getRequestBody()) {
                String payload = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                if (hanging) {
                    release.await();
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                String deliveryId = exchange.getRequestHeaders().getFirst("Payledger-Webhook-Id");
                if (!deliveryIds.add(deliveryId)) {
                    duplicates.incrementAndGet();
                } else {
                    Matcher paymentId = PAYMENT_ID.matcher(payload);
                    Matcher createdAt = CREATED_AT.matcher(payload);
                    Phase current = phase;
                    if (paymentId.find() && createdAt.find() && current != null) {
                        current.arrived(paymentId.group(1), Instant.parse(createdAt.group(1)));
                    }
                }
                exchange.sendResponseHeaders(204, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
        }
    }

    /** One phase's sends and arrivals, by payment ID; done when the {@code expected} ones have arrived. */
    private static final class Phase {
        final CountDownLatch allArrived;
        final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        final Percentiles latencies = new Percentiles();
        final Percentiles dispatchLatencies = new Percentiles();
        final AtomicLong arrived = new AtomicLong();
        volatile long lastArrival;

        Phase(long expected) {
            allArrived = new CountDownLatch(Math.toIntExact(expected));
        }

        void arrived(String paymentId, Instant recorded) {
            Long sent = sentAt.remove(paymentId);
            if (sent != null) {
                long now = System.nanoTime();
                latencies.record((now - sent) / 1e6, 1);
                dispatchLatencies.record(Math.max(0, Duration.between(recorded, Instant.now()).toNanos() / 1e6), 1);
                lastArrival = now;
                arrived.incrementAndGet();
                allArrived.countDown();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int deliveries = Integer.getInteger("deliveries", 20_000);
        int accountsPerReceiver = Integer.getInteger("accountsPerReceiver", 10);
        int rate = Integer.getInteger("rate", 200);
        List<Receiver> receivers = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(LocalStack.Options.forTests()
                .withProperty("payledger.rate-limit.requests-per-second", "1000000")
                .withProperty("payledger.rate-limit.burst", "1000000"))) {
            String tokenUri = stack.identity().url() + "/oauth2/token";
            ClientCredentials wallet = new ClientCredentials(tokenUri, DemoClients.WALLET, DemoClients.WALLET_SECRET);
            List<String> accounts = BenchmarkAccounts.open(stack.ledger().url(), wallet,
                    RECEIVERS * accountsPerReceiver);
            BenchmarkAccounts.awaitCopied(stack.database(), "notification.account_owners", accounts);
            for (int r = 0; r < RECEIVERS; r++) {
                Receiver receiver = new Receiver();
                receivers.add(receiver);
                subscribe(stack.notification().url(), wallet, receiver.url(),
                        accounts.subList(r * accountsPerReceiver, (r + 1) * accountsPerReceiver));
            }
            try (KafkaProducer<String, byte[]> producer = producer(stack.kafkaBootstrapServers())) {
                System.err.printf("warm-up: %d deliveries%n", deliveries / 4);
                run(producer, receivers, accounts, deliveries / 4, rate, Set.of());
                Map<String, Object> healthy = run(producer, receivers, accounts, deliveries, rate, Set.of());
                receivers.get(0).hanging = true;
                Map<String, Object> oneHanging = run(producer, receivers, accounts, deliveries, rate, Set.of(0));
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("benchmark", "webhook-delivery");
                result.put("receivers", RECEIVERS);
                result.put("accountsPerReceiver", accountsPerReceiver);
                result.put("deliveriesPerPhase", deliveries);
                result.put("offeredPerSecond", rate == 0 ? "all at once" : rate);
                result.put("allHealthy", healthy);
                result.put("oneHanging", oneHanging);
                result.put("healthyThroughputRatioHangingToAllHealthy", round(
                        ((Number) oneHanging.get("deliveriesPerSecond")).doubleValue()
                                / ((Number) healthy.get("deliveriesPerSecond")).doubleValue()));
                result.put("duplicatesToHealthyReceivers", receivers.stream().skip(1)
                        .mapToLong(receiver -> receiver.duplicates.get()).sum());
                System.out.println(Json.of(result));
            }
        } finally {
            receivers.forEach(Receiver::close);
        }
    }

    /**
     * Sends {@code count} outcomes, spread evenly over the accounts, and waits for those addressed to
     * receivers not in {@code hanging} to arrive; figures are over those.
     */
    private static Map<String, Object> run(KafkaProducer<String, byte[]> producer, List<Receiver> receivers,
                                           List<String> accounts, int count, int rate, Set<Integer> hanging)
            throws Exception {
        int accountsPerReceiver = accounts.size() / receivers.size();
        long expected = IntStream.range(0, count)
                .filter(i -> !hanging.contains((i % accounts.size()) / accountsPerReceiver)).count();
        Phase phase = new Phase(expected);
        receivers.forEach(receiver -> receiver.phase = phase);
        // One serializer for the phase: building one looks up its schema on the class path, costly per record.
        Serializer<SpecificRecord> serializer = Topics.LEDGER_TRANSACTIONS
                .valueSerde(SerdeSettings.singleObjectEncoding()).serializer();
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            int account = i % accounts.size();
            boolean counted = !hanging.contains(account / accountsPerReceiver);
            String paymentId = UUID.randomUUID().toString();
            long scheduled = rate == 0 ? System.nanoTime() : started + i * 1_000_000_000L / rate;
            // Paced: wait for this outcome's slot (parking, not spinning); behind schedule, send at once.
            while (System.nanoTime() < scheduled) {
                LockSupport.parkNanos(scheduled - System.nanoTime());
            }
            if (counted) {
                phase.sentAt.put(paymentId, scheduled);
            }
            TransactionPosted posted = TransactionPosted.newBuilder().setEventId(UUID.randomUUID().toString())
                    .setOccurredAt(Instant.now()).setTransactionId(paymentId).setPaymentId(paymentId)
                    .setSourceAccountId(accounts.get(account)).setDestinationAccountId("bench-payee")
                    .setAmountMinor(1).setCurrency("USD").setPostings(List.of()).build();
            producer.send(new ProducerRecord<>(Topics.LEDGER_TRANSACTIONS.name(), accounts.get(account),
                    serializer.serialize(Topics.LEDGER_TRANSACTIONS.name(), posted)));
        }
        producer.flush();
        long deadline = System.nanoTime() + PHASE_DEADLINE.toNanos();
        // The receivers' threads count the arrivals down; progress every 5 s meanwhile.
        while (!phase.allArrived.await(5, TimeUnit.SECONDS)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(phase.arrived.get() + " of " + expected + " deliveries arrived in "
                        + PHASE_DEADLINE.toMinutes() + " minutes");
            }
            System.err.printf("  %d of %d delivered%n", phase.arrived.get(), expected);
        }
        double seconds = (phase.lastArrival - started) / 1e9;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("deliveriesMeasured", expected);
        figures.put("deliveriesPerSecond", Math.round(expected / seconds));
        figures.put("endToEndP50Ms", round(phase.latencies.percentile(0.50)));
        figures.put("endToEndP99Ms", round(phase.latencies.percentile(0.99)));
        figures.put("dispatchP50Ms", round(phase.dispatchLatencies.percentile(0.50)));
        figures.put("dispatchP99Ms", round(phase.dispatchLatencies.percentile(0.99)));
        System.err.printf("%s: %s%n", hanging.isEmpty() ? "all healthy" : "one hanging", figures);
        return figures;
    }

    private static void subscribe(String notificationUrl, ClientCredentials owner, String url, List<String> accounts)
            throws IOException, InterruptedException {
        String body = "{\"url\":\"%s\",\"eventTypes\":[\"payment.posted\"],\"accounts\":[%s]}".formatted(url,
                String.join(",", accounts.stream().map(a -> "\"" + a + "\"").toList()));
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(notificationUrl + "/v1/webhooks"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + owner.token())
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("subscribing " + url + ": " + response.statusCode() + " "
                    + response.body());
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
