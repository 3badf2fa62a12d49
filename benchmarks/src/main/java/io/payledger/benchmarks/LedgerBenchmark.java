package io.payledger.benchmarks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.payledger.books.BooksVerifier;
import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.infra.EmbeddedKafkaBroker;
import io.payledger.infra.EmbeddedPostgresServer;
import io.payledger.ledger.LedgerServiceApplication;
import io.payledger.ledger.domain.PaymentInstruction;
import io.payledger.ledger.domain.PaymentPoster;
import io.payledger.platform.ids.TimeOrderedUuids;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import io.payledger.platform.persistence.PlatformJdbi;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * Measures ledger-service on its real path: approved payments on {@code payments.fraud-decisions},
 * the ledger consuming and posting them to PostgreSQL (durable commits), its relay publishing the
 * results; then the two one-transaction-per-transfer baselines on the same database and the same
 * transfers (SERIALIZABLE, and the original wallet's READ COMMITTED with row locks); then the invariant
 * check. Prints progress to stderr and one JSON summary line to stdout.
 *
 * <p>System properties: {@code payments} (per scenario, default 200000), {@code baselineSeconds}
 * (default 20), {@code batchSize} and {@code consumers} (default: the service's defaults, 2000 and 1),
 * {@code pgSettings} (extra PostgreSQL settings, {@code name=value,...}), {@code warmupPayments}
 * (posted before measuring, on accounts of their own, default 50000), {@code hotToHotShare} (of the hot
 * scenario's payments touching a hot account, the share between two hot accounts, default 0.3).
 */
public final class LedgerBenchmark {

    private static final long OPENING_BALANCE = 10_000_000;
    private static final String BANK = "bench-bank";

    private final ConfigurableApplicationContext ledger;
    private final EmbeddedKafkaBroker kafka;
    private final PGSimpleDataSource dataSource;
    private final MeterRegistry meters;

    private LedgerBenchmark(ConfigurableApplicationContext ledger, EmbeddedKafkaBroker kafka,
                            PGSimpleDataSource dataSource) {
        this.ledger = ledger;
        this.kafka = kafka;
        this.dataSource = dataSource;
        this.meters = ledger.getBean(MeterRegistry.class);
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        int payments = Integer.getInteger("payments", 200_000);
        Duration baselineLimit = Duration.ofSeconds(Long.getLong("baselineSeconds", 20));
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().start();
             EmbeddedPostgresServer postgres = postgres()) {
            SpringApplication application = LedgerServiceApplication.application();
            application.addPrimarySources(List.of(ApplyInstrumentation.class));
            List<String> arguments = new ArrayList<>(List.of(
                    "--server.port=0",
                    "--spring.main.banner-mode=off",
                    "--payledger.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "--spring.datasource.url=" + postgres.jdbcUrl(),
                    "--spring.datasource.username=" + postgres.username(),
                    "--spring.datasource.password=" + postgres.password(),
                    "--payledger.kafka.consumer[max.partition.fetch.bytes]=4194304",
                    "--payledger.kafka.consumer[fetch.max.bytes]=16777216"));
            // The service's own defaults unless asked otherwise.
            Optional.ofNullable(System.getProperty("batchSize"))
                    .ifPresent(size -> arguments.add("--payledger.ledger.batch-size=" + size));
            Optional.ofNullable(System.getProperty("consumers"))
                    .ifPresent(count -> arguments.add("--payledger.ledger.consumers=" + count));
            ConfigurableApplicationContext context = application.run(arguments.toArray(String[]::new));
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(postgres.jdbcUrl());
            dataSource.setUser(postgres.username());
            dataSource.setPassword(postgres.password());
            try {
                new LedgerBenchmark(context, kafka, dataSource).run(payments, Integer.getInteger("warmupPayments", 50_000), baselineLimit);
            } finally {
                context.close();
            }
        }
    }

    /** Durable commits always; {@code -DpgSettings=name=value,...} adds server settings. */
    private static EmbeddedPostgresServer postgres() {
        EmbeddedPostgresServer.Builder builder = EmbeddedPostgresServer.builder()
                .setting("shared_preload_libraries", "pg_stat_statements");
        String settings = System.getProperty("pgSettings", "");
        for (String setting : settings.split(",")) {
            if (setting.contains("=")) {
                builder.setting(setting.substring(0, setting.indexOf('=')).trim(),
                        setting.substring(setting.indexOf('=') + 1).trim());
            }
        }
        return builder.start();
    }

    private void run(int payments, int warmupPayments, Duration baselineLimit) throws Exception {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("benchmark", "ledger");
        summary.put("synchronous_commit", setting("synchronous_commit"));
        summary.put("fsync", setting("fsync"));
        summary.put("payments_per_scenario", payments);
        summary.put("cpus", Runtime.getRuntime().availableProcessors());
        // How long the wallet's deadlocked transfers wait before PostgreSQL looks for the cycle and breaks it.
        summary.put("deadlock_timeout", setting("deadlock_timeout"));
        ResourceProfile.install(dataSource);
        openAccount(BANK, "SYSTEM");
        // A service runs for days: measure it after the JIT has compiled its hot paths, not while.
        if (warmupPayments > 0) {
            measureLedger(Workload.warmup(), warmupPayments);
        }
        // At 10% the wallet's opposite transfers rarely met in a 15 s run (0 deadlocks); at 30% they do.
        double hotToHotShare = Double.parseDouble(System.getProperty("hotToHotShare", "0.3"));
        summary.put("hot_to_hot_share", hotToHotShare);
        for (Workload workload : List.of(Workload.uniform(), Workload.hot(hotToHotShare))) {
            Map<String, Object> ours = measureLedger(workload, payments);
            // Both baselines get the same transfers, in the same order.
            List<Workload.Transfer> transfers = workload.transfers(payments, 7);
            BaselineLedger serializable = new BaselineLedger(dataSource);
            serializable.create(workload, OPENING_BALANCE);
            Map<String, Object> baseline = measureBaseline(workload, "baseline",
                    "one SERIALIZABLE transaction per transfer", baselineLimit,
                    () -> serializable.run(transfers, baselineLimit));
            WalletBaseline wallet = new WalletBaseline(dataSource);
            wallet.create(workload, OPENING_BALANCE);
            Map<String, Object> walletBaseline = measureBaseline(workload, "wallet",
                    "the wallet's READ COMMITTED transaction per transfer, FOR UPDATE in request order", baselineLimit,
                    () -> wallet.run(transfers, baselineLimit));
            Map<String, Object> scenario = new LinkedHashMap<>(ours);
            scenario.putAll(baseline);
            scenario.putAll(walletBaseline);
            scenario.put("ratio_ours_to_baseline",
                    round((double) ours.get("postings_per_s") / (double) baseline.get("baseline_transfers_per_s")));
            scenario.put("ratio_ours_to_wallet",
                    round((double) ours.get("postings_per_s") / (double) walletBaseline.get("wallet_transfers_per_s")));
            summary.put(workload.name(), scenario);
        }
        BooksVerifier.Report report = new BooksVerifier(ledgerJdbi()).verify();
        Map<String, Object> invariants = new LinkedHashMap<>();
        invariants.put("holds", report.holds());
        invariants.put("breaches", report.checks().stream().mapToLong(BooksVerifier.Check::breaches).sum());
        invariants.put("transactions", report.transactions());
        invariants.put("entries", report.entries());
        summary.put("invariants", invariants);
        report.checks().forEach(check -> progress("invariant %s: %s", check.holds() ? "ok" : "BREACH", check.invariant()));
        System.out.println(Json.of(summary));
    }

    private Map<String, Object> measureLedger(Workload workload, int payments) throws Exception {
        progress("%s: opening and funding %d accounts", workload.name(), workload.accounts());
        openAccounts(workload);
        fund(workload);
        List<Workload.Transfer> transfers = workload.transfers(payments, 42);

        ConcurrentMessageListenerContainer<?, ?> container =
                ledger.getBean("fraudDecisionContainer", ConcurrentMessageListenerContainer.class);
        container.stop();
        progress("%s: producing %d approved payments to %s", workload.name(), payments, Topics.FRAUD_DECISIONS.name());
        produce(transfers);

        double appliedBefore = applied();
        double declinedBefore = declined();
        double attemptsBefore = counter("ledger.transaction.attempts");
        double retriesBefore = counter("ledger.transaction.retries");
        double exhaustedBefore = counter("ledger.transaction.retries.exhausted");
        double relayedBefore = relayed();
        ApplyInstrumentation.reset();
        progress("%s: ledger consuming", workload.name());
        ResourceProfile profile = ResourceProfile.start(dataSource);
        container.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (applied() - appliedBefore < payments && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        double appliedCount = applied() - appliedBefore;
        double seconds = (ApplyInstrumentation.LAST_COMMIT.get() - ApplyInstrumentation.FIRST_START.get()) / 1e9;
        double declinedCount = declined() - declinedBefore;
        double expectedMessages = (appliedCount - declinedCount) * 3 + declinedCount;
        while (relayed() - relayedBefore < expectedMessages && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        double relayedSeconds = (System.nanoTime() - ApplyInstrumentation.FIRST_START.get()) / 1e9;
        double attempts = counter("ledger.transaction.attempts") - attemptsBefore;
        double retries = counter("ledger.transaction.retries") - retriesBefore;

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("postings_per_s", round(appliedCount / seconds));
        result.put("p50_apply_ms", round(ApplyInstrumentation.LATENCY.percentile(0.50)));
        result.put("p99_apply_ms", round(ApplyInstrumentation.LATENCY.percentile(0.99)));
        result.put("serialization_retry_rate", round(attempts == 0 ? 0 : retries / attempts));
        result.put("retries_exhausted", (long) (counter("ledger.transaction.retries.exhausted") - exhaustedBefore));
        result.put("failed_payments", (long) (payments - appliedCount));
        result.put("declined", (long) declinedCount);
        result.put("events_published_per_s", round((relayed() - relayedBefore) / relayedSeconds));
        result.put("profile", profile.stop(workload.name()));
        progress("%s: %s", workload.name(), result);
        return result;
    }

    /** Runs one baseline, whose tables are in schema {@code key}; its figures are keyed {@code <key>_...}. */
    private Map<String, Object> measureBaseline(Workload workload, String key, String design, Duration limit,
                                                Callable<BaselineWorkers.Result> baseline) throws Exception {
        progress("%s %s: %d workers, %s, for up to %s", workload.name(), key, BaselineWorkers.WORKERS, design,
                limit);
        ResourceProfile profile = ResourceProfile.start(dataSource);
        BaselineWorkers.Result result = baseline.call();
        Map<String, Object> baselineProfile = profile.stop(workload.name() + " " + key);
        long tried = result.transfers() + result.failed();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(key + "_transfers_per_s", round(result.perSecond()));
        out.put(key + "_transfers", result.transfers());
        out.put(key + "_declined_for_funds", result.declined());
        out.put(key + "_failed_after_10_attempts", result.failed());
        out.put(key + "_failed_rate", round((double) result.failed() / Math.max(1, tried)));
        out.put(key + "_retry_rate", round((double) result.retries() / Math.max(1, result.attempts())));
        out.put(key + "_deadlocks", result.deadlocks());
        out.put(key + "_serialization_failures", result.serializationFailures());
        out.put(key + "_money_conserved", moneyConserved(key, workload));
        out.put(key + "_profile", baselineProfile);
        progress("%s %s: %s", workload.name(), key, out);
        return out;
    }

    /** Whether a baseline's accounts still hold, in total, what they were opened with: no lost update. */
    private boolean moneyConserved(String schema, Workload workload) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT sum(balance_minor) FROM " + schema + ".accounts")) {
            r.next();
            return r.getLong(1) == workload.accounts() * OPENING_BALANCE;
        }
    }

    private void openAccounts(Workload workload) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO ledger.accounts (account_id, currency, type) SELECT '" + workload.prefix()
                    + "-' || i, 'USD', 'CUSTOMER' FROM generate_series(0, " + (workload.accounts() - 1) + ") i");
        }
    }

    private void openAccount(String id, String type) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO ledger.accounts (account_id, currency, type) VALUES ('" + id + "', 'USD', '"
                    + type + "')");
        }
    }

    /** Funds every account through the ledger's own posting code, from the SYSTEM bank account. */
    private void fund(Workload workload) {
        PaymentPoster poster = ledger.getBean(PaymentPoster.class);
        List<PaymentInstruction> batch = new ArrayList<>();
        for (int i = 0; i < workload.accounts(); i++) {
            batch.add(new PaymentInstruction(UUID.randomUUID(), BANK, workload.account(i), OPENING_BALANCE, "USD",
                    "opening balance", null));
            if (batch.size() == 2_000 || i == workload.accounts() - 1) {
                poster.post(batch);
                batch = new ArrayList<>();
            }
        }
    }

    private void produce(List<Workload.Transfer> transfers) throws Exception {
        Serializer<FraudDecision> serializer = Topics.FRAUD_DECISIONS.valueSerde(SerdeSettings.singleObjectEncoding())
                .serializer();
        // The ledger's own client settings (compressed as fraud-service would write them), in bigger batches.
        Map<String, Object> config = new HashMap<>(ledger.getBean(KafkaSettings.class).producerConfig("benchmark-load"));
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        Instant now = Instant.now();
        // Payment IDs as payment-service mints them: time-ordered, so the books' transaction index grows at its edge
        TimeOrderedUuids paymentIds = new TimeOrderedUuids(Clock.systemUTC());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            for (Workload.Transfer transfer : transfers) {
                String paymentId = paymentIds.get().toString();
                PaymentInitiated payment = PaymentInitiated.newBuilder().setEventId(UUID.randomUUID().toString())
                        .setOccurredAt(now).setPaymentId(paymentId).setSourceAccountId(transfer.from())
                        .setDestinationAccountId(transfer.to()).setAmountMinor(transfer.amountMinor()).setCurrency("USD")
                        .setReference(null).build();
                FraudDecision decision = FraudDecision.newBuilder().setEventId(UUID.randomUUID().toString())
                        .setOccurredAt(now).setPaymentId(paymentId).setVerdict(FraudVerdict.APPROVED)
                        .setReasons(List.of()).setPayment(payment).build();
                producer.send(new ProducerRecord<>(Topics.FRAUD_DECISIONS.name(),
                        transfer.from().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(Topics.FRAUD_DECISIONS.name(), decision)));
            }
            producer.flush();
        }
    }

    private double applied() {
        return counter("ledger.payments", "outcome", "posted") + counter("ledger.payments", "outcome", "declined");
    }

    private double declined() {
        return counter("ledger.payments", "outcome", "declined");
    }

    private double relayed() {
        return counter("payledger.relay.messages");
    }

    private double counter(String name, String... tags) {
        return Search.in(meters).name(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private String setting(String name) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SHOW " + name)) {
            r.next();
            return r.getString(1);
        }
    }

    private Jdbi ledgerJdbi() {
        PGSimpleDataSource ledgerSchema = new PGSimpleDataSource();
        ledgerSchema.setUrl(dataSource.getUrl());
        ledgerSchema.setUser(dataSource.getUser());
        ledgerSchema.setPassword(dataSource.getPassword());
        ledgerSchema.setCurrentSchema("ledger");
        return PlatformJdbi.create(ledgerSchema);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }
}
