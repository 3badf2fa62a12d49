package io.payledger.localstack;

import io.payledger.demo.ClientCredentials;
import io.payledger.demo.DemoAccounts;
import io.payledger.demo.DemoClients;
import io.payledger.fraud.FraudServiceApplication;
import io.payledger.identity.IdentityServiceApplication;
import io.payledger.infra.EmbeddedKafkaBroker;
import io.payledger.infra.EmbeddedPostgresServer;
import io.payledger.infra.FreePorts;
import io.payledger.ledger.LedgerServiceApplication;
import io.payledger.notification.NotificationServiceApplication;
import io.payledger.payment.PaymentServiceApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import org.springframework.boot.SpringApplication;

/**
 * The whole platform in one JVM: Kafka and PostgreSQL (embedded unless external ones are given), the
 * issuer (identity-service, with the demo clients of {@link DemoClients}) and the four services, each
 * in its own Spring context with its own configuration file and schema.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    static final String IDENTITY = "identity-service";

    /**
     * @param kafkaBootstrapServers an external cluster, or empty for the embedded broker
     * @param database              an external PostgreSQL, or empty for the embedded server
     * @param ports                 HTTP port per service name, and management port per {@code <name>.management}
     *                              (health, metrics); 0 or absent picks a free port
     * @param dataDirectory         where embedded Kafka, PostgreSQL and Kafka Streams keep data; empty for temporary
     * @param extraProperties       further settings for every service (for example fraud limits in tests)
     * @param extraConfigurations   further Spring configuration classes per service name (benchmarks)
     * @param securedKafka          the embedded broker secured (SASL_SSL, SCRAM, ACLs), each service its own principal
     */
    public record Options(Optional<String> kafkaBootstrapServers, Optional<Database> database,
                          Map<String, Integer> ports, Optional<Path> dataDirectory,
                          Map<String, String> extraProperties, Map<String, List<Class<?>>> extraConfigurations,
                          boolean securedKafka) {

        public Options(Optional<String> kafkaBootstrapServers, Optional<Database> database, Map<String, Integer> ports,
                       Optional<Path> dataDirectory, Map<String, String> extraProperties) {
            this(kafkaBootstrapServers, database, ports, dataDirectory, extraProperties, Map.of(), false);
        }

        public static Options forTests() {
            return new Options(Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), Map.of());
        }

        public Options withProperty(String name, String value) {
            Map<String, String> properties = new LinkedHashMap<>(extraProperties);
            properties.put(name, value);
            return new Options(kafkaBootstrapServers, database, ports, dataDirectory, properties, extraConfigurations,
                    securedKafka);
        }

        /** Adds a Spring configuration class to one service's context. */
        public Options withConfiguration(String service, Class<?> configuration) {
            Map<String, List<Class<?>>> configurations = new LinkedHashMap<>(extraConfigurations);
            List<Class<?>> classes = new ArrayList<>(configurations.getOrDefault(service, List.of()));
            classes.add(configuration);
            configurations.put(service, List.copyOf(classes));
            return new Options(kafkaBootstrapServers, database, ports, dataDirectory, extraProperties, configurations,
                    securedKafka);
        }

        /**
         * The embedded broker started secured: SASL_SSL with SCRAM-SHA-512, ACLs enforced. Each service connects as
         * {@code User:<service name>} with a client properties file of its own; the platform's topics and ACLs
         * ({@code io.payledger.ops.acl.PlatformAcls}) are created as {@code User:admin} before the services start.
         * See {@link SecuredKafka}.
         */
        public Options withSecuredKafka() {
            return new Options(kafkaBootstrapServers, database, ports, dataDirectory, extraProperties,
                    extraConfigurations, true);
        }
    }

    public record Database(String jdbcUrl, String username, String password) {
    }

    private final EmbeddedKafkaBroker embeddedKafka;
    private final EmbeddedPostgresServer embeddedPostgres;
    private final String kafkaBootstrapServers;
    private final Database database;
    private final Map<String, RunningService> services = new LinkedHashMap<>();
    /** Each service's Kafka client properties file, on a secured broker. */
    private Map<String, Path> kafkaClientConfigs = Map.of();

    private LocalStack(EmbeddedKafkaBroker embeddedKafka, EmbeddedPostgresServer embeddedPostgres,
                       String kafkaBootstrapServers, Database database) {
        this.embeddedKafka = embeddedKafka;
        this.embeddedPostgres = embeddedPostgres;
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.database = database;
    }

    public static LocalStack start(Options options) {
        // The services share this JVM and its logging; none of them may reconfigure it for the others.
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        // With Spring Boot's logging system off, nothing bridges java.util.logging (Tomcat): do it here,
        // so that every line goes through the one logback pattern (logback.xml).
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        EmbeddedKafkaBroker kafka = null;
        EmbeddedPostgresServer postgres = null;
        if (options.securedKafka() && options.kafkaBootstrapServers().isPresent()) {
            throw new IllegalArgumentException("a secured Kafka is the embedded broker; for an external cluster give "
                    + "each service its KAFKA_CLIENT_CONFIG (docs/kafka-security.md)");
        }
        if (options.kafkaBootstrapServers().isEmpty()) {
            EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder()
                    .port(options.ports().getOrDefault("kafka", 0));
            options.dataDirectory().ifPresent(dir -> builder.dataDirectory(dir.resolve("kafka")));
            if (options.securedKafka()) {
                SecuredKafka.users(builder);
            }
            kafka = builder.start();
        }
        if (options.database().isEmpty()) {
            // No shutdown hook of its own: close() stops PostgreSQL after the services that use it.
            EmbeddedPostgresServer.Builder builder = EmbeddedPostgresServer.builder()
                    .port(options.ports().getOrDefault("postgres", 0))
                    .registerShutdownHook(false);
            options.dataDirectory().ifPresent(dir -> builder.dataDirectory(dir.resolve("postgres")));
            postgres = builder.start();
        }
        String bootstrap = kafka != null ? kafka.bootstrapServers() : options.kafkaBootstrapServers().orElseThrow();
        Database database = postgres != null
                ? new Database(postgres.jdbcUrl(), postgres.username(), postgres.password())
                : options.database().orElseThrow();
        LocalStack stack = new LocalStack(kafka, postgres, bootstrap, database);
        try {
            if (options.securedKafka()) {
                stack.kafkaClientConfigs = SecuredKafka.prepare(kafka, options);
            }
            stack.startServices(options);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private void startServices(Options options) {
        // The issuer first: its URL is in every token, and every service checks tokens against it.
        register(startIssuer(options));
        // Then the services, in no particular order: payment-service learns accounts from ledger.accounts.
        CompletableFuture<RunningService> ledger = startAsync("ledger-service", LedgerServiceApplication.application(),
                options, Map.of());
        CompletableFuture<RunningService> fraud = startAsync("fraud-service", FraudServiceApplication.application(),
                options, Map.of("payledger.fraud.state-dir", options.dataDirectory()
                        .map(dir -> dir.resolve("fraud-streams").toString()).orElse(temporaryStreamsDirectory())));
        CompletableFuture<RunningService> notification = startAsync("notification-service",
                NotificationServiceApplication.application(), options, Map.of());
        CompletableFuture<RunningService> payment = startAsync("payment-service", PaymentServiceApplication.application(),
                options, Map.of());
        register(ledger.join());
        register(payment.join());
        register(fraud.join());
        register(notification.join());
    }

    /**
     * identity-service with the demo clients. Its port is chosen before it starts: the issuer URL, which
     * every token carries, names it.
     */
    private RunningService startIssuer(Options options) {
        int port = Optional.ofNullable(options.ports().get(IDENTITY)).filter(p -> p > 0).orElseGet(FreePorts::pick);
        List<String> args = new ArrayList<>(quietStart());
        args.add("--server.port=" + port);
        args.add("--management.server.port=" + options.ports().getOrDefault(IDENTITY + ".management", 0));
        args.add("--payledger.identity.issuer-uri=" + "http://localhost:" + port);
        record Client(String id, String secret, List<String> scopes) {
        }
        List<Client> clients = List.of(
                new Client(DemoClients.WALLET, DemoClients.WALLET_SECRET, DemoClients.WALLET_SCOPES),
                new Client(DemoClients.OPERATOR, DemoClients.OPERATOR_SECRET, DemoClients.OPERATOR_SCOPES));
        for (int i = 0; i < clients.size(); i++) {
            String client = "--payledger.identity.clients[" + i + "].";
            args.add(client + "id=" + clients.get(i).id());
            args.add(client + "secret={noop}" + clients.get(i).secret());
            args.add(client + "scopes=" + String.join(",", clients.get(i).scopes()));
        }
        return new RunningService(IDENTITY, IdentityServiceApplication.application().run(args.toArray(String[]::new)));
    }

    private static List<String> quietStart() {
        // One banner for the whole stack (LocalStackMain), not Spring Boot's per service; and no
        // "Starting LocalStackMain" per service: register() says which service listens where.
        return List.of("--spring.main.banner-mode=off", "--spring.main.log-startup-info=false");
    }

    private CompletableFuture<RunningService> startAsync(String name, SpringApplication application, Options options,
                                                         Map<String, String> own) {
        List<String> args = new ArrayList<>(quietStart());
        // Chosen before it starts, not by the server (0): a service stopped and started again (context stop and
        // start, as the end-to-end tests do with the ledger) listens where it did.
        int port = Optional.ofNullable(options.ports().get(name)).filter(p -> p > 0).orElseGet(FreePorts::pick);
        args.add("--server.port=" + port);
        args.add("--management.server.port=" + options.ports().getOrDefault(name + ".management", 0));
        args.add("--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + identity().url());
        args.add("--payledger.kafka.bootstrap-servers=" + kafkaBootstrapServers);
        args.add("--spring.datasource.url=" + database.jdbcUrl());
        args.add("--spring.datasource.username=" + database.username());
        args.add("--spring.datasource.password=" + database.password());
        if (kafkaClientConfigs.containsKey(name)) {
            args.add("--payledger.kafka.client-config-file=" + kafkaClientConfigs.get(name));
        }
        options.extraProperties().forEach((key, value) -> args.add("--" + key + "=" + value));
        own.forEach((key, value) -> args.add("--" + key + "=" + value));
        application.addPrimarySources(options.extraConfigurations().getOrDefault(name, List.of()));
        return CompletableFuture.supplyAsync(() -> {
            Thread.currentThread().setName("start-" + name);
            return new RunningService(name, application.run(args.toArray(String[]::new)));
        });
    }

    private void register(RunningService service) {
        services.put(service.name(), service);
        log.info("{} listening on {}", service.name(), service.url());
    }

    private static String temporaryStreamsDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "payledger-fraud-" + System.nanoTime()).toString();
    }

    /** The issuer: identity-service, its URL the {@code iss} of every token the services accept. */
    public RunningService identity() {
        return services.get(IDENTITY);
    }

    /** The demo seeder, with the demo clients' tokens from this stack's issuer. */
    public DemoAccounts demoAccounts() {
        return new DemoAccounts(ledger().url(), payment().url(), client(DemoClients.OPERATOR, DemoClients.OPERATOR_SECRET),
                client(DemoClients.WALLET, DemoClients.WALLET_SECRET));
    }

    /** A client of this stack's issuer: its tokens, fetched as any producer system would. */
    public ClientCredentials client(String clientId, String secret) {
        return new ClientCredentials(identity().url() + "/oauth2/token", clientId, secret);
    }

    /** A valid token of the demo client, each time asked: for an HTTP client's {@code Authorization} header. */
    public Supplier<String> tokens(String clientId, String secret) {
        ClientCredentials client = client(clientId, secret);
        return () -> {
            try {
                return client.token();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
    }

    public RunningService payment() {
        return services.get("payment-service");
    }

    public RunningService ledger() {
        return services.get("ledger-service");
    }

    public RunningService fraud() {
        return services.get("fraud-service");
    }

    public RunningService notification() {
        return services.get("notification-service");
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    public Database database() {
        return database;
    }

    /** The embedded broker, unless an external cluster was given. */
    public Optional<EmbeddedKafkaBroker> embeddedKafka() {
        return Optional.ofNullable(embeddedKafka);
    }

    /** Stops services in reverse start order, then embedded infrastructure. */
    @Override
    public void close() {
        List<RunningService> running = new ArrayList<>(services.values());
        java.util.Collections.reverse(running);
        for (RunningService service : running) {
            try {
                service.context().close();
            } catch (RuntimeException e) {
                log.warn("Stopping {} failed", service.name(), e);
            }
        }
        services.clear();
        if (embeddedKafka != null) {
            embeddedKafka.close();
        }
        if (embeddedPostgres != null) {
            embeddedPostgres.close();
        }
    }
}
