package io.payledger.benchmarks;

import io.payledger.demo.ClientCredentials;
import io.payledger.demo.DemoClients;
import io.payledger.localstack.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP intake with and without token verification, in one run: the whole platform in this JVM (the
 * local stack, its issuer included), payments submitted over HTTP by {@code concurrency} clients,
 * each timed until its {@code 202}. After a warm-up the phases run verified, parse-only, parse-only,
 * verified (ABBA), so a platform still warming up, or slowing as its tables grow, favours neither
 * ({@link SwitchableTokenVerification}).
 * Prints progress on stderr and one JSON line on stdout.
 *
 * <p>{@code ./run-benchmark.sh intake -Dpayments=20000 -Dconcurrency=32}
 *
 * <p>With {@code -Dbatch=50} it compares instead one payment a request with 50 a request
 * ({@code POST /v1/payments/batch}), tokens verified, in phases single, batch, batch, single.
 */
public final class IntakeBenchmark {

    private static final int ACCOUNTS = 200;
    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\":(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String paymentUrl;
    private final ClientCredentials wallet;

    private IntakeBenchmark(String paymentUrl, ClientCredentials wallet) {
        this.paymentUrl = paymentUrl;
        this.wallet = wallet;
    }

    public static void main(String[] args) throws Exception {
        int payments = Integer.getInteger("payments", 20_000);
        int warmup = Integer.getInteger("warmupPayments", 10_000);
        int concurrency = Integer.getInteger("concurrency", 32);
        try (LocalStack stack = LocalStack.start(LocalStack.Options.forTests()
                // The limit would measure itself: one client sends everything here.
                .withProperty("payledger.rate-limit.requests-per-second", "1000000")
                .withProperty("payledger.rate-limit.burst", "1000000")
                // The token check on the intake path: the caller's at payment-service (which checks accounts
                // against its own copy of ledger.accounts, asking the ledger nothing); the ledger's switch
                // only covers the account openings before the phases.
                .withConfiguration("payment-service", SwitchableTokenVerification.class)
                .withConfiguration("ledger-service", SwitchableTokenVerification.class))) {
            String tokenUri = stack.identity().url() + "/oauth2/token";
            ClientCredentials wallet = new ClientCredentials(tokenUri, DemoClients.WALLET, DemoClients.WALLET_SECRET);
            // Unfunded: intake checks who owns an account, not its balance, and the ledger's declines cost it
            // what postings would.
            List<String> accounts = BenchmarkAccounts.open(stack.ledger().url(), wallet, ACCOUNTS);
            BenchmarkAccounts.awaitCopied(stack.database(), "payment.ledger_accounts", accounts);
            IntakeBenchmark benchmark = new IntakeBenchmark(stack.payment().url(), wallet);

            int batch = Integer.getInteger("batch", 0);
            Map<String, Object> result = batch > 1
                    ? benchmark.singleVersusBatch(accounts, payments, warmup, concurrency, batch)
                    : benchmark.verifiedVersusParseOnly(accounts, payments, warmup, concurrency);
            System.out.println(Json.of(result));
        }
    }

    /** Tokens verified against parsed only, one payment a request. */
    private Map<String, Object> verifiedVersusParseOnly(List<String> accounts, int payments, int warmup,
                                                        int concurrency) throws Exception {
        Mode verified = new Mode("verified", "verified", true, true, 1);
        Mode parseOnly = new Mode("parse-only", "verified", false, false, 1);
        Comparison comparison = compare(accounts, payments, warmup, concurrency, verified, parseOnly);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "http-intake");
        result.put("paymentsPerMode", payments);
        result.put("concurrency", concurrency);
        result.put("verified", comparison.a().summary());
        result.put("parseOnly", comparison.b().summary());
        result.put("throughputCostOfVerification", round(1 - comparison.a().perSecond() / comparison.b().perSecond()));
        result.put("p99RatioVerifiedToParseOnly", round(comparison.a().latencies.percentile(0.99)
                / comparison.b().latencies.percentile(0.99)));
        result.put("phases", comparison.phases());
        return result;
    }

    /**
     * One payment a request ({@code POST /v1/payments}) against {@code batch} a request
     * ({@code POST /v1/payments/batch}), tokens verified. A payment's latency is its request's.
     */
    private Map<String, Object> singleVersusBatch(List<String> accounts, int payments, int warmup, int concurrency,
                                                  int batch) throws Exception {
        Mode single = new Mode("1 a request", "paymentsPerRequest", 1, true, 1);
        Mode batched = new Mode(batch + " a request", "paymentsPerRequest", batch, true, batch);
        Comparison comparison = compare(accounts, payments, warmup, concurrency, single, batched);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "http-intake-batch");
        result.put("paymentsPerMode", payments);
        result.put("concurrency", concurrency);
        result.put("batch", batch);
        result.put("single", comparison.a().summary());
        result.put("batched", comparison.b().summary());
        result.put("throughputRatioBatchedToSingle", round(comparison.b().perSecond() / comparison.a().perSecond()));
        result.put("phases", comparison.phases());
        return result;
    }

    /**
     * How a phase submits: whether tokens are verified and how many payments a request carries; {@code name} is
     * its progress line's, {@code phaseKey}: {@code phaseValue} its entry in the JSON's phases.
     */
    private record Mode(String name, String phaseKey, Object phaseValue, boolean verify, int batch) {
    }

    private record Comparison(Totals a, Totals b, List<Object> phases) {
    }

    /**
     * A warm-up of half each, then phases a, b, b, a, so a platform still warming up, or slowing as its tables grow,
     * favours neither.
     */
    private Comparison compare(List<String> accounts, int payments, int warmup, int concurrency, Mode a, Mode b)
            throws Exception {
        System.err.printf("warm-up: %d payments%n", warmup);
        phase(accounts, warmup / 2, concurrency, a.verify(), a.batch());
        phase(accounts, warmup / 2, concurrency, b.verify(), b.batch());
        Totals totalsA = new Totals();
        Totals totalsB = new Totals();
        List<Object> phases = new ArrayList<>();
        for (Mode mode : List.of(a, b, b, a)) {
            Phase phase = phase(accounts, payments / 2, concurrency, mode.verify(), mode.batch());
            (mode == a ? totalsA : totalsB).add(phase);
            System.err.printf("%s: %.0f payments/s, p99 %.1f ms%n", mode.name(), phase.perSecond(),
                    phase.latencies().percentile(0.99));
            phases.add(Map.of(mode.phaseKey(), mode.phaseValue(), "paymentsPerSecond", Math.round(phase.perSecond()),
                    "p99Ms", round(phase.latencies().percentile(0.99))));
        }
        return new Comparison(totalsA, totalsB, phases);
    }

    private record Phase(long payments, long refused, double seconds, Percentiles latencies) {
        double perSecond() {
            return payments / seconds;
        }
    }

    private static final class Totals {
        private long payments;
        private long refused;
        private double seconds;
        private final Percentiles latencies = new Percentiles();

        void add(Phase phase) {
            payments += phase.payments();
            refused += phase.refused();
            seconds += phase.seconds();
            latencies.addAll(phase.latencies());
        }

        double perSecond() {
            return payments / seconds;
        }

        Map<String, Object> summary() {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("paymentsPerSecond", Math.round(perSecond()));
            summary.put("p50Ms", round(latencies.percentile(0.50)));
            summary.put("p99Ms", round(latencies.percentile(0.99)));
            summary.put("refused", refused);
            return summary;
        }
    }

    private Phase phase(List<String> accounts, int payments, int concurrency, boolean verify, int batch)
            throws Exception {
        SwitchableTokenVerification.VERIFY.set(verify);
        String token = wallet.token();
        Percentiles latencies = new Percentiles();
        AtomicLong next = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        long started = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                running.add(clients.submit(() -> {
                    for (long i = next.getAndAdd(batch); i < payments; i = next.getAndAdd(batch)) {
                        int count = (int) Math.min(batch, payments - i);
                        long sent = System.nanoTime();
                        int accepted = batch == 1 ? (pay(token, accounts, i) == 202 ? 1 : 0)
                                : payBatch(token, accounts, i, count);
                        latencies.record((System.nanoTime() - sent) / 1e6, count);
                        refused.addAndGet(count - accepted);
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Phase(payments, refused.get(), seconds, latencies);
    }

    private int pay(String token, List<String> accounts, long i) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(paymentUrl + "/v1/payments"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"sourceAccountId":"%s","destinationAccountId":"%s","amount":"0.01","currency":"USD"}"""
                        .formatted(source(accounts, i), destination(accounts, i))))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Payments {@code first} to {@code first + count - 1} in one batch; how many were accepted. */
    private int payBatch(String token, List<String> accounts, long first, int count)
            throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder("{\"payments\":[");
        for (long i = first; i < first + count; i++) {
            body.append(i == first ? "" : ",").append("""
                    {"idempotencyKey":"%s","sourceAccountId":"%s","destinationAccountId":"%s","amount":"0.01",\
                    "currency":"USD"}""".formatted(UUID.randomUUID(), source(accounts, i), destination(accounts, i)));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(paymentUrl + "/v1/payments/batch"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString()))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        Matcher accepted = ACCEPTED.matcher(response.body());
        return response.statusCode() == 200 && accepted.find() ? Integer.parseInt(accepted.group(1)) : 0;
    }

    private static String source(List<String> accounts, long i) {
        return accounts.get((int) (i % accounts.size()));
    }

    private static String destination(List<String> accounts, long i) {
        return accounts.get((int) ((i + 1) % accounts.size()));
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
