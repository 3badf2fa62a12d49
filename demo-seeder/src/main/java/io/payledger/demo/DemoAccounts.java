package io.payledger.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds the demo: per currency a SYSTEM settlement account and three CUSTOMER accounts, each funded
 * with 1,000.00 by a payment from the settlement account, through the public APIs like any client.
 * The operator client (scopes {@code ops funding}) opens the settlement accounts and pays the funding;
 * the wallet client opens, and so owns, the customer accounts. Idempotent: existing accounts are kept
 * (409) and funding payments reuse their Idempotency-Key.
 *
 * <p>The one demo seeder: the local stack calls {@link #seed()} in-process once its services are up,
 * and docker compose's {@code seed} container runs {@link #main} against the services' URLs.
 */
public final class DemoAccounts {

    public static final List<String> CURRENCIES = List.of("USD", "EUR", "GBP");
    public static final List<String> CUSTOMERS = List.of("alice", "bob", "carol");
    public static final String FUNDING = "1000.00";

    private static final Logger log = LoggerFactory.getLogger(DemoAccounts.class);
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(2);
    private static final Duration COPY_PATIENCE = Duration.ofSeconds(60);
    private static final Duration COPY_RETRY_INTERVAL = Duration.ofMillis(100);
    /** Retries back off, doubling from {@link #COPY_RETRY_INTERVAL} up to this. */
    private static final Duration MAX_COPY_RETRY_INTERVAL = Duration.ofSeconds(2);
    private static final String UNKNOWN_ACCOUNT = "urn:payledger:problem:unknown-account";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String ledgerUrl;
    private final String paymentUrl;
    private final ClientCredentials operator;
    private final ClientCredentials wallet;

    /**
     * @param operator a client with scopes {@code ops funding accounts:write payments:write}
     * @param wallet   the client that owns the customer accounts ({@code accounts:write})
     */
    public DemoAccounts(String ledgerUrl, String paymentUrl, ClientCredentials operator, ClientCredentials wallet) {
        this.ledgerUrl = ledgerUrl;
        this.paymentUrl = paymentUrl;
        this.operator = operator;
        this.wallet = wallet;
    }

    /**
     * {@code java -jar demo-seeder-exec.jar}: waits until ledger-service ({@code LEDGER_URL}, default
     * {@code http://localhost:8082}) and payment-service ({@code PAYMENT_URL}, default
     * {@code http://localhost:8081}) answer, then seeds with tokens from {@code OAUTH2_TOKEN_URI}
     * (default {@code http://localhost:9000/oauth2/token}) for the demo clients
     * ({@code DEMO_OPERATOR_ID}/{@code DEMO_OPERATOR_SECRET}, {@code DEMO_WALLET_ID}/{@code DEMO_WALLET_SECRET}).
     * Exits non-zero if a service stays down for {@code SEED_WAIT} (ISO-8601, default PT5M) or a step fails.
     */
    public static void main(String[] args) throws Exception {
        String tokenUri = env("OAUTH2_TOKEN_URI", "http://localhost:9000/oauth2/token");
        DemoAccounts demo = new DemoAccounts(env("LEDGER_URL", "http://localhost:8082"),
                env("PAYMENT_URL", "http://localhost:8081"),
                new ClientCredentials(tokenUri, env("DEMO_OPERATOR_ID", DemoClients.OPERATOR),
                        env("DEMO_OPERATOR_SECRET", DemoClients.OPERATOR_SECRET)),
                new ClientCredentials(tokenUri, env("DEMO_WALLET_ID", DemoClients.WALLET),
                        env("DEMO_WALLET_SECRET", DemoClients.WALLET_SECRET)));
        demo.awaitServices(Duration.parse(env("SEED_WAIT", "PT5M")));
        demo.seed();
    }

    public static String settlement(String currency) {
        return "settlement-" + currency.toLowerCase(Locale.ROOT);
    }

    public static String customer(String name, String currency) {
        return name + "-" + currency.toLowerCase(Locale.ROOT);
    }

    /**
     * Waits until both services answer, for at most {@code patience}. Health is on their management
     * ports; the public port answering a request without a token (401) is enough to seed.
     */
    public void awaitServices(Duration patience) throws InterruptedException {
        Instant deadline = Instant.now().plus(patience);
        while (!answering(ledgerUrl) || !answering(paymentUrl)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("ledger-service (" + ledgerUrl + ") and payment-service ("
                        + paymentUrl + ") were not both healthy within " + patience);
            }
            log.info("waiting for ledger-service ({}) and payment-service ({})...", ledgerUrl, paymentUrl);
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
    }

    /** Opens and funds the demo accounts; returns the funding payment IDs' locations. */
    public List<String> seed() throws IOException, InterruptedException {
        List<String> fundingPayments = new ArrayList<>();
        for (String currency : CURRENCIES) {
            open(settlement(currency), currency, "SYSTEM", operator);
            for (String name : CUSTOMERS) {
                String account = customer(name, currency);
                open(account, currency, "CUSTOMER", wallet);
                HttpResponse<String> funding = fund(account, currency);
                if (funding.statusCode() != 202) {
                    throw new IllegalStateException("funding " + account + " failed: " + funding.statusCode() + " "
                            + funding.body());
                }
                boolean replayed = funding.headers().firstValue("Idempotent-Replayed").orElse("false").equals("true");
                log.debug("{} {} with {} {}", replayed ? "already funded" : "funded", account, FUNDING, currency);
                funding.headers().firstValue("Location").ifPresent(fundingPayments::add);
            }
        }
        log.info("Seeded {} demo accounts in {}", CURRENCIES.size() * (CUSTOMERS.size() + 1), CURRENCIES);
        return fundingPayments;
    }

    /**
     * Pays the account's funding. payment-service learns a just-opened account from the ledger's event
     * (ledger.accounts), typically well under a second after it opens; until then it refuses the payment as
     * an unknown account (422 unknown-account, recording nothing), so that answer is retried, with the same
     * Idempotency-Key, for up to {@link #COPY_PATIENCE}.
     */
    private HttpResponse<String> fund(String account, String currency) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(COPY_PATIENCE);
        Duration backoff = COPY_RETRY_INTERVAL;
        while (true) {
            HttpResponse<String> funding = post(paymentUrl + "/v1/payments", """
                    {"sourceAccountId":"%s","destinationAccountId":"%s","amount":"%s","currency":"%s",
                     "reference":"demo funding"}""".formatted(settlement(currency), account, FUNDING, currency),
                    "seed-funding-" + account, operator);
            if (funding.statusCode() != 422 || !funding.body().contains(UNKNOWN_ACCOUNT)
                    || Instant.now().isAfter(deadline)) {
                return funding;
            }
            log.debug("payment-service does not know {} yet; retrying in {}", account, backoff);
            Thread.sleep(backoff.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(MAX_COPY_RETRY_INTERVAL) > 0 ? MAX_COPY_RETRY_INTERVAL
                    : backoff.multipliedBy(2);
        }
    }

    private void open(String accountId, String currency, String type, ClientCredentials owner)
            throws IOException, InterruptedException {
        HttpResponse<String> response = post(ledgerUrl + "/v1/accounts",
                "{\"accountId\":\"%s\",\"currency\":\"%s\",\"type\":\"%s\"}".formatted(accountId, currency, type),
                null, owner);
        if (response.statusCode() != 201 && response.statusCode() != 409) {
            throw new IllegalStateException("opening " + accountId + " failed: " + response.statusCode() + " "
                    + response.body());
        }
        log.debug("account {} ({}, {}): {}", accountId, type, currency,
                response.statusCode() == 201 ? "opened" : "already open");
    }

    private boolean answering(String serviceUrl) throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(serviceUrl + "/v1/"))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() < 500;
        } catch (IOException e) {
            return false;
        }
    }

    private HttpResponse<String> post(String url, String json, String idempotencyKey, ClientCredentials client)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + client.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
