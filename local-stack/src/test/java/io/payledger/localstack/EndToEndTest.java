package io.payledger.localstack;

import static io.payledger.demo.DemoAccounts.customer;
import static io.payledger.demo.DemoAccounts.settlement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.commands.InitiatePayment;
import io.payledger.demo.ClientCredentials;
import io.payledger.demo.DemoClients;
import io.payledger.notification.domain.WebhookSignature;
import io.payledger.platform.tracing.RecordTracing;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole platform on a real broker and database: HTTP or Kafka in, through fraud and the ledger,
 * status and notifications out.
 */
@ExtendWith(OutputCaptureExtension.class)
class EndToEndTest {

    private static final Duration TIMEOUT = DemoSession.TIMEOUT;

    private static final List<String> SERVICES =
            List.of("payment-service", "fraud-service", "ledger-service", "notification-service");

    private static OtlpTraceReceiver traces;
    private static LocalStack stack;
    private static DemoSession demo;
    private static HttpApi payments;
    private static HttpApi ledger;

    @BeforeAll
    static void startPlatform() throws Exception {
        // Stalls show within seconds, so the readiness test below sees any false one.
        // Every service exports its spans to a collector in this JVM, at once rather than every 5 s.
        traces = OtlpTraceReceiver.start();
        stack = LocalStack.start(LocalStack.Options.forTests()
                .withProperty("payledger.consumer-progress.stall-threshold", "2s")
                .withProperty("payledger.consumer-progress.check-interval", "250ms")
                .withProperty("TRACING_OTLP_ENDPOINT", traces.endpoint())
                .withProperty("management.opentelemetry.tracing.export.schedule-delay", "100ms"));
        demo = DemoSession.seeded(stack);
        payments = demo.payments;
        ledger = demo.ledger;
    }

    @AfterAll
    static void stopPlatform() {
        stack.close();
        traces.close();
    }

    @Test
    void everyConsumingServiceIsReadyWhenCaughtUpThoughItsTopicsEndInTransactionMarkers() {
        // Given the platform after the funding payments, every topic written transactionally (relays, streams),
        // so a group's committed offset may stop short of its partitions' end, at a commit marker

        // When longer than the stall threshold passes
        // Then every consuming service stays ready, its consumer progress known and UP
        for (RunningService running : List.of(stack.payment(), stack.ledger(), stack.notification(), stack.fraud())) {
            HttpApi service = new HttpApi(running.managementUrl());
            await().atMost(TIMEOUT).during(Duration.ofSeconds(5)).until(() -> {
                HttpApi.Response readiness = service.get("/actuator/health/readiness");
                return readiness.status() == 200 && readiness.json().get("components").get("consumerProgress")
                        .get("status").asText().equals("UP");
            });
        }
    }

    @Test
    void anApprovedPaymentIsPostedExactlyOnceAndBothBalancesMove() {
        // Given
        String alice = customer("alice", "USD");
        String bob = customer("bob", "USD");
        long aliceBefore = balance(alice);
        long bobBefore = balance(bob);

        // When
        String paymentId = pay(UUID.randomUUID().toString(), alice, bob, "12.34", "USD");

        // Then
        JsonNode payment = awaitFinal(paymentId);
        assertThat(payment.get("status").asText()).isEqualTo("POSTED");
        assertThat(balance(alice)).isEqualTo(aliceBefore - 1_234);
        assertThat(balance(bob)).isEqualTo(bobBefore + 1_234);
        JsonNode transaction = ledger.get("/v1/transactions/" + paymentId).json();
        assertThat(transaction.get("postings")).hasSize(2);
        assertThat(entriesOf(alice, paymentId)).isEqualTo(1);
        // (the payer is told of acceptance and posting, the payee of the money received)
        await().atMost(TIMEOUT).until(() -> kinds(paymentId)
                .equals(List.of("PAYMENT_ACCEPTED", "PAYMENT_POSTED", "PAYMENT_RECEIVED")));
    }

    @Test
    void aPaymentLeavesOneConnectedTraceWithASpanFromEveryService() {
        // Given tracing on, pointed at a collector
        String alice = customer("alice", "USD");
        String bob = customer("bob", "USD");

        // When a payment goes through over HTTP
        String paymentId = pay(UUID.randomUUID().toString(), alice, bob, "1.00", "USD");
        assertThat(awaitFinal(paymentId).get("status").asText()).isEqualTo("POSTED");

        // Then its trace, found by the payment ID a span carries, holds spans from all four services: the HTTP
        // request, the relays' publications, the fraud check, the ledger's posting, the status update and the
        // notifications
        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<OtlpTraceReceiver.ReceivedSpan> trace = traceOf(paymentId);
            assertThat(trace).extracting(OtlpTraceReceiver.ReceivedSpan::service).containsAll(SERVICES);
            assertThat(trace).extracting(OtlpTraceReceiver.ReceivedSpan::name).contains("check payment",
                    "apply payment", "settle payment", "notify", "publish payments.initiated",
                    "publish ledger.transactions");
        });
        // ... and is connected: one root, the HTTP request, and every other span's parent in the same trace
        List<OtlpTraceReceiver.ReceivedSpan> trace = traceOf(paymentId);
        assertThat(trace).filteredOn(OtlpTraceReceiver.ReceivedSpan::isRoot)
                .singleElement()
                .satisfies(root -> assertThat(root.service()).isEqualTo("payment-service"))
                .satisfies(root -> assertThat(root.attributes().values()).anyMatch(value -> value.contains("/v1/payments")));
        List<String> spanIds = trace.stream().map(OtlpTraceReceiver.ReceivedSpan::spanId).toList();
        assertThat(trace).filteredOn(span -> !span.isRoot())
                .allSatisfy(span -> assertThat(spanIds).as("parent of %s in %s", span.name(), span.service())
                        .contains(span.parentSpanId()));
    }

    /** Every span of the trace that a span naming the payment belongs to. */
    private static List<OtlpTraceReceiver.ReceivedSpan> traceOf(String paymentId) {
        List<String> traceIds = traces.spans().stream()
                .filter(span -> paymentId.equals(span.attributes().get(RecordTracing.PAYMENT_ID_TAG)))
                .map(OtlpTraceReceiver.ReceivedSpan::traceId).distinct().toList();
        assertThat(traceIds).as("traces naming payment %s", paymentId).hasSize(1);
        return traces.trace(traceIds.get(0));
    }

    @Test
    void withLedgerServiceStoppedIntakeKeepsAcceptingPaymentsBetweenKnownAccounts() {
        // Given ledger-service stopped (its HTTP API and its listeners), payment-service knowing the accounts
        ConfigurableApplicationContext ledgerService = stack.ledger().context();
        String ledgerUrl = stack.ledger().url();
        String paymentId;
        ledgerService.stop();
        try {
            assertThat(answers(ledgerUrl)).as("ledger-service's API is down").isFalse();

            // When the wallet pays between two of its accounts
            paymentId = pay(UUID.randomUUID().toString(), customer("carol", "GBP"), customer("bob", "GBP"), "1.00",
                    "GBP");

            // Then intake accepts it (pay asserts the 202), and it waits for the ledger
            assertThat(payments.get("/v1/payments/" + paymentId).json().get("status").asText()).isEqualTo("PENDING");
        } finally {
            ledgerService.start();
        }
        await().atMost(TIMEOUT).until(() -> answers(ledgerUrl));
        // And once the ledger is back, it is posted
        assertThat(awaitFinal(paymentId).get("status").asText()).isEqualTo("POSTED");
    }

    @Test
    void aPaymentOverTheFraudLimitIsRejectedAndMovesNoMoney() {
        String settlement = settlement("USD");
        String carol = customer("carol", "USD");
        long settlementBefore = balance(settlement);
        long carolBefore = balance(carol);

        String paymentId = pay(UUID.randomUUID().toString(), settlement, carol, "10000.01", "USD");

        JsonNode payment = awaitFinal(paymentId);
        assertThat(payment.get("status").asText()).isEqualTo("REJECTED");
        assertThat(payment.get("reasons").get(0).asText()).isEqualTo("AMOUNT_OVER_LIMIT");
        assertThat(balance(settlement)).isEqualTo(settlementBefore);
        assertThat(balance(carol)).isEqualTo(carolBefore);
        assertThat(ledger.get("/v1/transactions/" + paymentId).status()).isEqualTo(404);
        await().atMost(TIMEOUT).until(() -> kinds(paymentId).contains("PAYMENT_REJECTED"));
    }

    @Test
    void aPaymentWithoutFundsIsDeclinedAndMovesNoMoney() {
        String alice = customer("alice", "GBP");
        String bob = customer("bob", "GBP");
        long aliceBefore = balance(alice);
        long bobBefore = balance(bob);

        String paymentId = pay(UUID.randomUUID().toString(), alice, bob, "5000.00", "GBP");

        JsonNode payment = awaitFinal(paymentId);
        assertThat(payment.get("status").asText()).isEqualTo("DECLINED");
        assertThat(payment.get("reasons").get(0).asText()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(balance(alice)).isEqualTo(aliceBefore);
        assertThat(balance(bob)).isEqualTo(bobBefore);
        await().atMost(TIMEOUT).until(() -> kinds(paymentId).contains("PAYMENT_DECLINED"));
    }

    @Test
    void theSameIdempotencyKeyTwiceIsOnePaymentAndOnePosting() {
        String alice = customer("alice", "EUR");
        String carol = customer("carol", "EUR");
        long aliceBefore = balance(alice);
        String key = UUID.randomUUID().toString();

        String first = pay(key, alice, carol, "3.00", "EUR");
        String second = pay(key, alice, carol, "3.00", "EUR");

        assertThat(second).isEqualTo(first);
        assertThat(awaitFinal(first).get("status").asText()).isEqualTo("POSTED");
        // A later payment from the same account has been applied, so any duplicate would be too.
        assertThat(awaitFinal(pay(UUID.randomUUID().toString(), alice, carol, "0.01", "EUR")).get("status").asText())
                .isEqualTo("POSTED");
        assertThat(balance(alice)).isEqualTo(aliceBefore - 301);
        assertThat(entriesOf(alice, first)).isEqualTo(1);
    }

    @Test
    void theWalletsWebhookHearsOfMoneyLeavingAliceAndReachingBobSignedWithItsSecret() throws Exception {
        // Given a receiver of the wallet's, subscribed to alice's postings and bob's receipts
        String alice = customer("alice", "USD");
        String bob = customer("bob", "USD");
        List<String[]> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            try (exchange) {
                received.add(new String[] {exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER),
                        exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
                exchange.sendResponseHeaders(204, -1);
            }
        });
        receiver.start();
        try {
            HttpApi walletWebhooks = new HttpApi(stack.notification().url(),
                    stack.tokens(DemoClients.WALLET, DemoClients.WALLET_SECRET));
            HttpApi.Response subscribed = walletWebhooks.post("/v1/webhooks", HttpApi.toJson(Map.of(
                    "url", "http://localhost:" + receiver.getAddress().getPort() + "/hooks",
                    "eventTypes", List.of("payment.posted", "payment.received"), "accounts", List.of(alice, bob))),
                    Map.of());
            assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(201);
            String secret = subscribed.json().get("secret").asText();

            // When alice pays bob
            String paymentId = pay(UUID.randomUUID().toString(), alice, bob, "3.21", "USD");

            // Then the receiver hears, once each, that it left alice and reached bob, each signed with the secret
            await().atMost(TIMEOUT).until(() -> received.stream().filter(r -> r[2].contains(paymentId)).count() == 2);
            List<String> types = new ArrayList<>();
            for (String[] delivery : received) {
                if (delivery[2].contains(paymentId)) {
                    assertThat(WebhookSignature.verify(secret, delivery[0], delivery[1], delivery[2], Instant.now(),
                            WebhookSignature.DEFAULT_TOLERANCE)).as(delivery[2]).isTrue();
                    types.add(JsonMapper.builder().build().readTree(delivery[2]).get("type").asText());
                }
            }
            assertThat(types).containsExactlyInAnyOrder("payment.posted", "payment.received");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aPaymentCommandOnKafkaIsPostedAndFoundByItsCommandId() {
        String alice = customer("alice", "USD");
        String carol = customer("carol", "USD");
        long carolBefore = balance(carol);
        String commandId = UUID.randomUUID().toString();
        // The producer's own topic (the operator creates it when onboarding the producer); the producer is
        // the client that owns alice, whose payment it is.
        var commands = Topics.paymentCommands(KAFKA_PRODUCER);
        byte[] command = commands.valueSerde(SerdeSettings.singleObjectEncoding()).serializer()
                .serialize("t", InitiatePayment.newBuilder().setCommandId(commandId).setSourceAccountId(alice)
                        .setDestinationAccountId(carol).setAmountMinor(700).setCurrency("USD").setReference("kafka")
                        .setRequestedAt(Instant.now()).build());

        // ... sent twice, within the producer's own trace
        String producerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String producerSpan = "00f067aa0ba902b7";
        Map<String, String> producerContext = Map.of("traceparent", "00-" + producerTrace + "-" + producerSpan + "-01");
        try (KafkaTestClient kafka = new KafkaTestClient(stack.kafkaBootstrapServers())) {
            kafka.createTopics(12, commands.name(), commands.deadLetterTopic());
            kafka.send(commands.name(), alice, command, producerContext);
            kafka.send(commands.name(), alice, command, producerContext);
        }

        // Keys are each client's own: the producer finds its command's payment by it
        await().atMost(TIMEOUT).until(() -> demo.walletPayments.get("/v1/payments?idempotencyKey=" + commandId).status() == 200);
        String paymentId = demo.walletPayments.get("/v1/payments?idempotencyKey=" + commandId).json().get("paymentId")
                .asText();
        assertThat(awaitFinal(paymentId).get("status").asText()).isEqualTo("POSTED");
        assertThat(balance(carol)).isEqualTo(carolBefore + 700);
        // And the payment continued the producer's trace, from its command through every service
        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<OtlpTraceReceiver.ReceivedSpan> trace = traceOf(paymentId);
            assertThat(trace).extracting(OtlpTraceReceiver.ReceivedSpan::traceId).containsOnly(producerTrace);
            assertThat(trace).extracting(OtlpTraceReceiver.ReceivedSpan::service).containsAll(SERVICES);
            assertThat(trace).filteredOn(span -> span.name().equals("accept payment command"))
                    .isNotEmpty()
                    .allSatisfy(span -> assertThat(span.parentSpanId()).isEqualTo(producerSpan));
        });
    }

    @Test
    void everyMetricTheDashboardsAndAlertRulesNameIsExportedByTheServices() throws Exception {
        // Given a payment through every service and a dead letter, so meters made on first use exist too
        assertThat(awaitFinal(pay(UUID.randomUUID().toString(), customer("bob", "EUR"), customer("carol", "EUR"), "0.02",
                "EUR")).get("status").asText()).isEqualTo("POSTED");
        var commands = Topics.paymentCommands(KAFKA_PRODUCER);
        try (KafkaTestClient kafka = new KafkaTestClient(stack.kafkaBootstrapServers())) {
            kafka.createTopics(12, commands.name(), commands.deadLetterTopic());
            kafka.send(commands.name(), "not-a-command", "not Avro".getBytes(StandardCharsets.UTF_8), Map.of());
        }
        List<RunningService> services = List.of(stack.payment(), stack.ledger(), stack.fraud(), stack.notification(),
                stack.identity());
        await().atMost(TIMEOUT).until(() -> ObservedMetrics.exportedNames(scrape(stack.payment()))
                .contains("payledger_dead_letters_total"));

        // When every service's Prometheus endpoint is scraped, as observability/prometheus/prometheus.yml does
        Map<String, Set<String>> exported = new TreeMap<>();
        for (RunningService service : services) {
            String exposition = scrape(service);
            exported.put(service.name(), ObservedMetrics.exportedNames(exposition));
            // Kept for whoever writes the next panel: the names as the services really export them.
            Path copy = Path.of("target", "prometheus", service.name() + ".txt");
            Files.createDirectories(copy.getParent());
            Files.writeString(copy, exposition);
        }

        // Then every metric a dashboard or an alert rule names is among them (in the service it is pinned to, if any)
        List<ObservedMetrics.Reference> referenced = ObservedMetrics.referenced();
        assertThat(referenced).as("metrics the dashboards and alerts name; the extraction itself must work")
                .extracting(ObservedMetrics.Reference::metric)
                .contains("payledger_consumer_committed_lag", "ledger_batch_apply_seconds_bucket", "up");
        assertThat(ObservedMetrics.missing(referenced, exported))
                .as("metrics named in observability/ that no service exports (scrapes in local-stack/target/prometheus)")
                .isEmpty();
    }

    private static String scrape(RunningService service) {
        HttpApi.Response response = new HttpApi(service.managementUrl()).get("/actuator/prometheus",
                Map.of("Accept", "text/plain"));
        assertThat(response.status()).as(service.name() + " " + response.body()).isEqualTo(200);
        return response.body();
    }

    /**
     * The Kafka producer of the command test: the wallet, whose accounts alice, bob and carol are (a producer
     * pays only out of its own accounts; its Kafka principal and its OAuth2 client have the same name).
     */
    private static final String KAFKA_PRODUCER = DemoClients.WALLET;

    @Test
    void noSecretOrTokenReachesTheLogs(CapturedOutput output) throws Exception {
        // Given every client's secret, the tokens the tests used, and a request with a token that is refused
        ClientCredentials wallet = stack.client(DemoClients.WALLET, DemoClients.WALLET_SECRET);
        String refusedToken = wallet.token().substring(0, wallet.token().length() - 4) + "AAAA";
        HttpApi.Response refused = new HttpApi(stack.payment().url()).get("/v1/payments/" + UUID.randomUUID(),
                Map.of("Authorization", "Bearer " + refusedToken));
        assertThat(refused.status()).isEqualTo(401);
        pay(UUID.randomUUID().toString(), customer("bob", "USD"), customer("alice", "USD"), "0.01", "USD");

        // Then none of them appears anywhere the stack logged, nor in the refusal
        assertThat(output.getAll()).contains("payment-service");
        for (String secret : List.of(DemoClients.WALLET_SECRET, DemoClients.OPERATOR_SECRET, wallet.token(), refusedToken,
                stack.client(DemoClients.OPERATOR, DemoClients.OPERATOR_SECRET).token())) {
            assertThat(output.getAll()).doesNotContain(secret);
            assertThat(refused.body()).doesNotContain(secret);
        }
    }

    private static boolean answers(String url) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            http.send(HttpRequest.newBuilder(URI.create(url + "/v1/")).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String pay(String key, String from, String to, String amount, String currency) {
        return demo.pay(key, from, to, amount, currency);
    }

    private static JsonNode awaitFinal(String paymentId) {
        return demo.awaitFinal(paymentId);
    }

    private static long balance(String accountId) {
        return demo.balance(accountId);
    }

    private static long entriesOf(String accountId, String transactionId) {
        JsonNode entries = ledger.get("/v1/accounts/" + accountId + "/entries?limit=500").json().get("entries");
        long count = 0;
        for (JsonNode entry : entries) {
            if (entry.get("transactionId").asText().equals(transactionId)) {
                count++;
            }
        }
        return count;
    }

    private static List<String> kinds(String paymentId) {
        return demo.kinds(paymentId);
    }
}
