package io.payledger.localstack;

import io.payledger.demo.DemoClients;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar local-stack-exec.jar [--fresh]}: runs the platform with seeded demo accounts and
 * prints where everything listens. Data lives in {@code .local-stack/} and survives restarts;
 * {@code --fresh} starts from nothing. Set KAFKA_BOOTSTRAP_SERVERS or DATABASE_URL (with
 * DATABASE_USER, DATABASE_PASSWORD) to use an existing Kafka or PostgreSQL instead.
 */
public final class LocalStackMain {

    private static final Logger log = LoggerFactory.getLogger(LocalStackMain.class);

    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(env("PAYLEDGER_DATA_DIR", ".local-stack")).toAbsolutePath();
        if (Arrays.asList(args).contains("--fresh")) {
            deleteRecursively(data);
        }
        Optional<String> kafka = Optional.ofNullable(System.getenv("KAFKA_BOOTSTRAP_SERVERS")).filter(s -> !s.isBlank());
        Optional<LocalStack.Database> database = Optional.ofNullable(System.getenv("DATABASE_URL"))
                .filter(s -> !s.isBlank())
                .map(url -> new LocalStack.Database(url, env("DATABASE_USER", "payledger"), env("DATABASE_PASSWORD", "payledger")));
        Map<String, Integer> ports = Map.ofEntries(
                Map.entry("payment-service", port("PAYMENT_PORT", 8081)),
                Map.entry("ledger-service", port("LEDGER_PORT", 8082)),
                Map.entry("fraud-service", port("FRAUD_PORT", 8083)),
                Map.entry("notification-service", port("NOTIFICATION_PORT", 8084)),
                Map.entry("identity-service", port("IDENTITY_PORT", 9000)),
                Map.entry("payment-service.management", port("PAYMENT_MANAGEMENT_PORT", 9081)),
                Map.entry("ledger-service.management", port("LEDGER_MANAGEMENT_PORT", 9082)),
                Map.entry("fraud-service.management", port("FRAUD_MANAGEMENT_PORT", 9083)),
                Map.entry("notification-service.management", port("NOTIFICATION_MANAGEMENT_PORT", 9084)),
                Map.entry("identity-service.management", port("IDENTITY_MANAGEMENT_PORT", 9090)),
                Map.entry("kafka", port("EMBEDDED_KAFKA_PORT", 9092)),
                Map.entry("postgres", port("EMBEDDED_POSTGRES_PORT", 15432)));

        System.out.println(banner(data));
        LocalStack stack = LocalStack.start(new LocalStack.Options(kafka, database, ports, Optional.of(data), Map.of()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "local-stack-shutdown"));

        stack.demoAccounts().seed();
        log.info(listening(stack));
        log.info(tryIt(stack));
        stopped.await();
    }

    /** The one banner, printed before anything starts. */
    static String banner(Path data) {
        String version = Optional.ofNullable(LocalStackMain.class.getPackage().getImplementationVersion()).orElse("dev");
        return """

                 payledger %s — local stack: Kafka, PostgreSQL, the issuer, payment, fraud, ledger and
                 notification services, demo accounts. Data in %s. Ctrl-C stops everything.
                """.formatted(version, data);
    }

    /** One line: where everything listens. */
    static String listening(LocalStack stack) {
        return ("payledger is up: issuer %s, payment-service %s, ledger-service %s, fraud-service %s,"
                + " notification-service %s (health and metrics on %s, %s, %s, %s),")
                .formatted(stack.identity().url(), stack.payment().url(), stack.ledger().url(), stack.fraud().url(),
                        stack.notification().url(), stack.payment().managementUrl(), stack.ledger().managementUrl(),
                        stack.fraud().managementUrl(), stack.notification().managementUrl())
                + " Kafka %s, PostgreSQL %s (user %s)".formatted(stack.kafkaBootstrapServers(),
                stack.database().jdbcUrl(), stack.database().username());
    }

    /** A first payment to try, with nothing but curl (no uuidgen: any unique key will do). */
    static String tryIt(LocalStack stack) {
        return ("try: TOKEN=$(curl -s -u %s:%s -d grant_type=client_credentials %s/oauth2/token"
                + " | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')"
                + " && curl -s -X POST %s/v1/payments -H \"Authorization: Bearer $TOKEN\""
                + " -H 'Content-Type: application/json' -H \"Idempotency-Key: demo-$(date +%%s)\""
                + " -d '{\"sourceAccountId\":\"alice-usd\",\"destinationAccountId\":\"bob-usd\",\"amount\":\"12.34\",\"currency\":\"USD\"}'"
                + " (demo accounts alice, bob, carol and settlement, each in -usd, -eur, -gbp; more in README.md)")
                .formatted(DemoClients.WALLET, DemoClients.WALLET_SECRET, stack.identity().url(), stack.payment().url());
    }

    private static int port(String variable, int fallback) {
        return Integer.parseInt(env(variable, Integer.toString(fallback)));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void deleteRecursively(Path directory) throws java.io.IOException {
        if (!java.nio.file.Files.exists(directory)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
