package io.payledger.localstack;

import io.payledger.demo.DemoAccounts;
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
        Map<String, Integer> ports = Map.of(
                "payment-service", Integer.parseInt(env("PAYMENT_PORT", "8081")),
                "ledger-service", Integer.parseInt(env("LEDGER_PORT", "8082")),
                "fraud-service", Integer.parseInt(env("FRAUD_PORT", "8083")),
                "notification-service", Integer.parseInt(env("NOTIFICATION_PORT", "8084")),
                "kafka", Integer.parseInt(env("EMBEDDED_KAFKA_PORT", "9092")),
                "postgres", Integer.parseInt(env("EMBEDDED_POSTGRES_PORT", "15432")));

        System.out.println(banner(data));
        LocalStack stack = LocalStack.start(new LocalStack.Options(kafka, database, ports, Optional.of(data), Map.of()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "local-stack-shutdown"));

        new DemoAccounts(stack.ledger().url(), stack.payment().url()).seed();
        log.info(listening(stack));
        log.info(tryIt(stack));
        stopped.await();
    }

    /** The one banner, printed before anything starts. */
    static String banner(Path data) {
        String version = Optional.ofNullable(LocalStackMain.class.getPackage().getImplementationVersion()).orElse("dev");
        return """

                 payledger %s — local stack: Kafka, PostgreSQL, payment, fraud, ledger and notification
                 services, demo accounts. Data in %s. Ctrl-C stops everything.
                """.formatted(version, data);
    }

    /** One line: where everything listens. */
    static String listening(LocalStack stack) {
        return "payledger is up: payment-service %s, ledger-service %s, fraud-service %s, notification-service %s,"
                .formatted(stack.payment().url(), stack.ledger().url(), stack.fraud().url(), stack.notification().url())
                + " Kafka %s, PostgreSQL %s (user %s)".formatted(stack.kafkaBootstrapServers(),
                stack.database().jdbcUrl(), stack.database().username());
    }

    /** A first payment to try, with nothing but curl (no uuidgen: any unique key will do). */
    static String tryIt(LocalStack stack) {
        return ("try: curl -s -X POST %s/v1/payments -H 'Content-Type: application/json' -H \"Idempotency-Key: demo-$(date +%%s)\""
                + " -d '{\"sourceAccountId\":\"alice-usd\",\"destinationAccountId\":\"bob-usd\",\"amount\":\"12.34\",\"currency\":\"USD\"}'"
                + " (demo accounts alice, bob, carol and settlement, each in -usd, -eur, -gbp; more in README.md)")
                .formatted(stack.payment().url());
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
