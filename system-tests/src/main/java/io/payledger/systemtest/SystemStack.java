package io.payledger.systemtest;

import io.payledger.demo.ClientCredentials;
import io.payledger.demo.DemoClients;
import io.payledger.infra.EmbeddedKafkaBroker;
import io.payledger.infra.EmbeddedPostgresServer;
import io.payledger.infra.FreePorts;
import io.payledger.schemas.topic.Topic;
import io.payledger.schemas.topic.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform for system tests, in one of two modes.
 *
 * <p><b>Local</b> (the default): the real Kafka broker and PostgreSQL (embedded-infra) in this JVM, and the issuer
 * and the four services each as its own OS process, {@code java <flags> -jar <module>/target/<module>-<version>-exec.jar},
 * configured only through the environment variables of the README's Configuration table, exactly as in production.
 * Each logs to {@code <work directory>/logs/<service>.log}. Any one can be {@linkplain #kill killed} (SIGKILL) and
 * {@linkplain #restart restarted} on the same ports while the others run.
 *
 * <p><b>External</b> ({@code SYSTEM_STACK=external}): a stack already running (docker compose, a cluster), given by
 * the same variables the services and the tools take: {@code PAYMENT_URL}, {@code LEDGER_URL},
 * {@code NOTIFICATION_URL}, {@code OAUTH2_TOKEN_URI}, {@code KAFKA_BOOTSTRAP_SERVERS} (and {@code KAFKA_CLIENT_CONFIG}),
 * {@code DATABASE_URL}, {@code DATABASE_USER}, {@code DATABASE_PASSWORD}, the clients {@code DEMO_WALLET_ID},
 * {@code DEMO_WALLET_SECRET}, {@code DEMO_OPERATOR_ID}, {@code DEMO_OPERATOR_SECRET} (the demo clients' by default).
 * Nothing is started, and nothing can be killed: {@link #controlsProcesses()} is false, and scenarios that kill
 * a process skip themselves.
 */
public final class SystemStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SystemStack.class);

    /** {@code external}: use the stack the environment names instead of starting one. */
    public static final String MODE_VARIABLE = "SYSTEM_STACK";
    /** Where the repository is (the services' jars are under it); set by the module's build. */
    static final String ROOT_PROPERTY = "payledger.system-stack.root";
    static final String VERSION_PROPERTY = "payledger.system-stack.version";
    static final String WORK_DIRECTORY_PROPERTY = "payledger.system-stack.work-directory";
    /** Replaces {@link Options#DEFAULT_JVM_FLAGS} for every service (space-separated). */
    public static final String JVM_FLAGS_PROPERTY = "payledger.system-stack.jvm-flags";
    /** Followed by a setting's name: a local PostgreSQL's {@code postgresql.conf} setting. */
    public static final String POSTGRES_SETTING_PREFIX = "payledger.system-stack.postgres.";

    /**
     * How a local stack is started.
     *
     * @param jvmFlags        every service's JVM flags, unless {@code serviceJvmFlags} gives it its own
     * @param serviceJvmFlags one service's own JVM flags, in place of {@code jvmFlags}
     * @param environment     further environment variables for every service (README's Configuration table)
     * @param startupTimeout  how long each process may take to be ready (two cores shared by five JVMs: minutes)
     * @param kafkaPartitions partitions of every topic (KAFKA_PARTITIONS)
     * @param producers       Kafka producers whose command topics ({@code payments.commands.<producer>} and its
     *                        dead-letter topic) exist before payment-service starts
     */
    public record Options(List<String> jvmFlags, Map<Service, List<String>> serviceJvmFlags,
                          Map<String, String> environment, Duration startupTimeout, int kafkaPartitions,
                          List<String> producers) {

        /**
         * Small heaps and a quick start: five JVMs share the machine with the broker and the database. The tiered
         * compiler's first tier only ({@code TieredStopAtLevel=1}) makes start-up cheaper on two cores; a load test
         * that measures throughput gives the services their production flags instead.
         */
        public static final List<String> DEFAULT_JVM_FLAGS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

        /**
         * The defaults; {@value #JVM_FLAGS_PROPERTY} replaces every service's flags, and
         * {@code payledger.system-stack.jvm-flags.<module>} (e.g. {@code ...jvm-flags.ledger-service}) one service's.
         */
        public static Options defaults() {
            Map<Service, List<String>> own = new EnumMap<>(Service.class);
            for (Service service : Service.values()) {
                flags(JVM_FLAGS_PROPERTY + "." + service.module()).ifPresent(flags -> own.put(service, flags));
            }
            return new Options(flags(JVM_FLAGS_PROPERTY).orElse(DEFAULT_JVM_FLAGS), own, Map.of(),
                    Duration.ofMinutes(4), 3, List.of(DemoClients.WALLET));
        }

        private static Optional<List<String>> flags(String property) {
            String flags = System.getProperty(property);
            return flags == null || flags.isBlank() ? Optional.empty()
                    : Optional.of(Arrays.asList(flags.trim().split("\\s+")));
        }

        public Options withEnvironment(String name, String value) {
            Map<String, String> env = new LinkedHashMap<>(environment);
            env.put(name, value);
            return new Options(jvmFlags, serviceJvmFlags, env, startupTimeout, kafkaPartitions, producers);
        }

        /** Every service's JVM flags. */
        public Options withJvmFlags(List<String> flags) {
            return new Options(flags, serviceJvmFlags, environment, startupTimeout, kafkaPartitions, producers);
        }

        /** One service's own JVM flags. */
        public Options withJvmFlags(Service service, List<String> flags) {
            Map<Service, List<String>> own = new EnumMap<>(Service.class);
            own.putAll(serviceJvmFlags);
            own.put(service, List.copyOf(flags));
            return new Options(jvmFlags, own, environment, startupTimeout, kafkaPartitions, producers);
        }

        public List<String> jvmFlags(Service service) {
            return serviceJvmFlags.getOrDefault(service, jvmFlags);
        }
    }

    /** A PostgreSQL server: what the services' DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD say. */
    public record Database(String url, String user, String password) {
    }

    private final boolean local;
    private EmbeddedKafkaBroker broker;
    private EmbeddedPostgresServer postgres;
    private final String kafkaBootstrapServers;
    private final Optional<Path> kafkaClientConfig;
    private final Database database;
    private final String tokenUri;
    private final ClientCredentials wallet;
    private final ClientCredentials operator;
    private final Map<Service, String> urls;
    private final Map<Service, ServiceProcess> processes;
    private final Duration startupTimeout;
    private final int kafkaPartitions;
    private final Path workDirectory;
    private final Thread killOnExit;

    private SystemStack(boolean local, EmbeddedKafkaBroker broker, EmbeddedPostgresServer postgres,
                        String kafkaBootstrapServers, Optional<Path> kafkaClientConfig, Database database,
                        String tokenUri, ClientCredentials wallet, ClientCredentials operator, Map<Service, String> urls,
                        Map<Service, ServiceProcess> processes, Duration startupTimeout, int kafkaPartitions,
                        Path workDirectory) {
        this.local = local;
        this.broker = broker;
        this.postgres = postgres;
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.kafkaClientConfig = kafkaClientConfig;
        this.database = database;
        this.tokenUri = tokenUri;
        this.wallet = wallet;
        this.operator = operator;
        this.urls = Collections.unmodifiableMap(urls);
        this.processes = Collections.unmodifiableMap(processes);
        this.startupTimeout = startupTimeout;
        this.kafkaPartitions = kafkaPartitions;
        this.workDirectory = workDirectory;
        // A test JVM that exits without close() (a timeout, Ctrl-C) must not leave five JVMs behind.
        this.killOnExit = new Thread(() -> processes.values().forEach(ServiceProcess::killIfAlive),
                "system-stack-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** The stack the environment names ({@code SYSTEM_STACK=external}), or a local one started with the defaults. */
    public static SystemStack start() {
        return start(Options.defaults(), System.getenv());
    }

    public static SystemStack start(Options options, Map<String, String> environment) {
        return "external".equalsIgnoreCase(environment.getOrDefault(MODE_VARIABLE, "").trim())
                ? external(environment) : local(options);
    }

    /** An external stack from the environment; starts nothing. */
    public static SystemStack external(Map<String, String> env) {
        Map<Service, String> urls = new EnumMap<>(Service.class);
        for (Service service : List.of(Service.PAYMENT, Service.LEDGER, Service.NOTIFICATION)) {
            urls.put(service, strip(required(env, service.urlVariable())));
        }
        String tokenUri = required(env, "OAUTH2_TOKEN_URI");
        Optional<Path> clientConfig = Optional.ofNullable(env.get("KAFKA_CLIENT_CONFIG")).filter(s -> !s.isBlank())
                .map(Path::of);
        SystemStack stack = new SystemStack(false, null, null, required(env, "KAFKA_BOOTSTRAP_SERVERS"), clientConfig,
                new Database(required(env, "DATABASE_URL"), env.getOrDefault("DATABASE_USER", "payledger"),
                        env.getOrDefault("DATABASE_PASSWORD", "payledger")),
                tokenUri,
                new ClientCredentials(tokenUri, env.getOrDefault("DEMO_WALLET_ID", DemoClients.WALLET),
                        env.getOrDefault("DEMO_WALLET_SECRET", DemoClients.WALLET_SECRET)),
                new ClientCredentials(tokenUri, env.getOrDefault("DEMO_OPERATOR_ID", DemoClients.OPERATOR),
                        env.getOrDefault("DEMO_OPERATOR_SECRET", DemoClients.OPERATOR_SECRET)),
                urls, Map.of(), Duration.ZERO, Integer.parseInt(env.getOrDefault("KAFKA_PARTITIONS", "12")),
                defaultWorkDirectory());
        log.info("Using the external stack: payment {}, ledger {}, notification {}, Kafka {}, database {}",
                urls.get(Service.PAYMENT), urls.get(Service.LEDGER), urls.get(Service.NOTIFICATION),
                stack.kafkaBootstrapServers, stack.database.url());
        return stack;
    }

    /** Starts the broker and PostgreSQL here, then the issuer and the services as processes, and waits until all are ready. */
    public static SystemStack local(Options options) {
        removeEarlierRunsData(defaultWorkDirectory());
        Path run = defaultWorkDirectory().resolve("run-" + System.currentTimeMillis());
        Map<Service, Path> jars = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            jars.put(service, executableJar(service));
        }
        long started = System.nanoTime();
        // Every port chosen up front, each service's fixed for its restarts, and the broker's and the database's
        // with their data directories: a later scenario stops and starts them again where they were.
        List<Integer> free = FreePorts.pick(2 + 2 * Service.values().length);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(free.get(0))
                .dataDirectory(run.resolve("kafka")).start();
        EmbeddedPostgresServer postgres = null;
        Map<Service, ServiceProcess> processes = new EnumMap<>(Service.class);
        try {
            postgres = postgres(free.get(1), run.resolve("postgres")).start();
            Database database = new Database(postgres.jdbcUrl(), postgres.username(), postgres.password());
            for (String producer : options.producers()) {
                createCommandTopics(broker.bootstrapServers(), Map.of(), options.kafkaPartitions(), producer);
            }
            Map<Service, Integer> ports = new EnumMap<>(Service.class);
            Map<Service, Integer> managementPorts = new EnumMap<>(Service.class);
            for (Service service : Service.values()) {
                ports.put(service, free.get(2 + 2 * service.ordinal()));
                managementPorts.put(service, free.get(3 + 2 * service.ordinal()));
            }
            String issuer = "http://localhost:" + ports.get(Service.IDENTITY);
            for (Service service : Service.values()) {
                Map<String, String> env = new LinkedHashMap<>();
                env.put(service.portVariable(), Integer.toString(ports.get(service)));
                env.put(service.managementPortVariable(), Integer.toString(managementPorts.get(service)));
                env.put("OAUTH2_ISSUER_URI", issuer);
                if (service == Service.IDENTITY) {
                    identityClients(env);
                } else {
                    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
                    env.put("KAFKA_PARTITIONS", Integer.toString(options.kafkaPartitions()));
                    env.put("KAFKA_REPLICATION_FACTOR", "1");
                    env.put("DATABASE_URL", database.url());
                    env.put("DATABASE_USER", database.user());
                    env.put("DATABASE_PASSWORD", database.password());
                    env.putAll(options.environment());
                }
                if (service == Service.FRAUD) {
                    env.put("FRAUD_STATE_DIR", run.resolve("fraud-streams").toString());
                }
                processes.put(service, new ServiceProcess(service, jars.get(service), options.jvmFlags(service), env,
                        run.resolve("logs").resolve(service.module() + ".log"), ports.get(service),
                        managementPorts.get(service)));
            }
            // All at once: each waits for nothing but the broker and the database, and checks tokens against
            // the issuer only when the first request comes.
            processes.values().forEach(ServiceProcess::start);
            for (ServiceProcess process : processes.values()) {
                process.awaitReady(options.startupTimeout());
            }
            Map<Service, String> urls = new EnumMap<>(Service.class);
            processes.forEach((service, process) -> urls.put(service, process.url()));
            String tokenUri = issuer + "/oauth2/token";
            SystemStack stack = new SystemStack(true, broker, postgres, broker.bootstrapServers(), Optional.empty(),
                    database, tokenUri, new ClientCredentials(tokenUri, DemoClients.WALLET, DemoClients.WALLET_SECRET),
                    new ClientCredentials(tokenUri, DemoClients.OPERATOR, DemoClients.OPERATOR_SECRET), urls, processes,
                    options.startupTimeout(), options.kafkaPartitions(), run);
            log.info("System stack ready in {} s: Kafka {}, PostgreSQL {}, logs in {}",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), broker.bootstrapServers(),
                    database.url(), run.resolve("logs"));
            return stack;
        } catch (RuntimeException e) {
            processes.values().forEach(p -> p.stop(Duration.ofSeconds(10)));
            broker.close();
            if (postgres != null) {
                postgres.close();
            }
            throw e;
        }
    }

    /** The demo clients, as docker-compose.yml registers them: the wallet owns customers, the operator funds. */
    private static void identityClients(Map<String, String> env) {
        List<List<String>> clients = List.of(
                List.of(DemoClients.WALLET, DemoClients.WALLET_SECRET, String.join(",", DemoClients.WALLET_SCOPES)),
                List.of(DemoClients.OPERATOR, DemoClients.OPERATOR_SECRET,
                        String.join(",", DemoClients.OPERATOR_SCOPES)));
        for (int i = 0; i < clients.size(); i++) {
            env.put("PAYLEDGER_IDENTITY_CLIENTS_" + i + "_ID", clients.get(i).get(0));
            env.put("PAYLEDGER_IDENTITY_CLIENTS_" + i + "_SECRET", "{noop}" + clients.get(i).get(1));
            env.put("PAYLEDGER_IDENTITY_CLIENTS_" + i + "_SCOPES", clients.get(i).get(2));
        }
    }

    /** Earlier runs keep their logs; their broker's, database's and streams' data (tens of MB each) go. */
    private static void removeEarlierRunsData(Path workDirectory) {
        if (!Files.isDirectory(workDirectory)) {
            return;
        }
        try (Stream<Path> runs = Files.list(workDirectory)) {
            for (Path run : runs.filter(dir -> dir.getFileName().toString().startsWith("run-")).toList()) {
                for (String data : List.of("kafka", "postgres", "fraud-streams")) {
                    deleteRecursively(run.resolve(data));
                }
            }
        } catch (IOException e) {
            log.warn("Could not remove earlier runs' data under {}", workDirectory, e);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static Path executableJar(Service service) {
        Path root = Path.of(System.getProperty(ROOT_PROPERTY, "..")).toAbsolutePath().normalize();
        String version = System.getProperty(VERSION_PROPERTY, "0.1.0-SNAPSHOT");
        Path jar = root.resolve(service.module()).resolve("target")
                .resolve(service.module() + "-" + version + "-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no executable jar of " + service + " at " + jar + ": build it first "
                    + "(./mvnw -B verify -pl system-tests -am packages every service before the system tests run)");
        }
        return jar;
    }

    private static Path defaultWorkDirectory() {
        return Path.of(System.getProperty(WORK_DIRECTORY_PROPERTY, "target/system-stack")).toAbsolutePath().normalize();
    }

    /** Creates {@code payments.commands.<producer>} and its dead-letter topic unless they exist. */
    private static void createCommandTopics(String bootstrapServers, Map<String, Object> clientSettings,
                                            int partitions, String producer) {
        Topic<String, ?> commands = Topics.paymentCommands(producer);
        Map<String, Object> config = new HashMap<>(clientSettings);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            for (String topic : List.of(commands.name(), commands.deadLetterTopic())) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                            .all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create " + topic, e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not create the command topics of " + producer, e);
        }
    }

    /**
     * Makes sure {@code payments.commands.<producer>} and its dead-letter topic exist (an external cluster with
     * ACLs needs them created by its operator: {@code payledger-ops topics --producer <producer> --execute}).
     */
    public void createCommandTopics(String producer) {
        createCommandTopics(kafkaBootstrapServers, kafkaClientSettings(), kafkaPartitions, producer);
    }

    /** Whether this harness started the processes, and so can kill and restart them (false on an external stack). */
    public boolean controlsProcesses() {
        return local;
    }

    /** Why a scenario that kills processes cannot run here, or empty. */
    public Optional<String> processControlUnavailable() {
        return local ? Optional.empty() : Optional.of("the stack is external (" + MODE_VARIABLE + "=external): this "
                + "harness did not start its processes, so it cannot kill or restart them");
    }

    /** The service's public API. */
    public String url(Service service) {
        String url = urls.get(service);
        if (url == null) {
            throw new IllegalArgumentException("no URL for " + service + (local ? "" : "; set " + service.urlVariable()));
        }
        return url;
    }

    /**
     * Where the service answers {@code /actuator/health/readiness} and its metrics: its management port, on a local
     * stack; empty on an external one (its management ports are not among the variables that name it).
     */
    public Optional<String> managementUrl(Service service) {
        return local ? Optional.of(processes.get(service).managementUrl()) : Optional.empty();
    }

    /** SIGKILL: the process dies at once, whatever it was doing. */
    public void kill(Service service) {
        process(service).kill();
    }

    /** Starts a killed (or stopped) service again, on the same ports, and waits until it is ready. */
    public void restart(Service service) {
        ServiceProcess process = process(service);
        process.start();
        process.awaitReady(startupTimeout);
    }

    public boolean running(Service service) {
        return process(service).alive();
    }

    public long pid(Service service) {
        return process(service).pid();
    }

    /** The service's log file (every start of it). */
    public Path logFile(Service service) {
        return process(service).logFile();
    }

    private ServiceProcess process(Service service) {
        requireLocal();
        return processes.get(service);
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    /** Further settings for every Kafka client of the tests: an external cluster's KAFKA_CLIENT_CONFIG. */
    public Map<String, Object> kafkaClientSettings() {
        if (kafkaClientConfig.isEmpty()) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(kafkaClientConfig.get())) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read KAFKA_CLIENT_CONFIG " + kafkaClientConfig.get(), e);
        }
        Map<String, Object> settings = new HashMap<>();
        properties.forEach((key, value) -> settings.put(key.toString(), value));
        return settings;
    }

    public Database database() {
        return database;
    }

    /** The environment payledger-ops needs to reach this stack (as {@code OpsCli.run} takes it). */
    public Map<String, String> opsEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", database.url());
        env.put("DATABASE_USER", database.user());
        env.put("DATABASE_PASSWORD", database.password());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers);
        kafkaClientConfig.ifPresent(path -> env.put("KAFKA_CLIENT_CONFIG", path.toString()));
        return env;
    }

    /**
     * The variables that name this stack as {@code SYSTEM_STACK=external} takes them: another harness (or a shell,
     * or payledger-ops) given these uses this stack as it is.
     */
    public Map<String, String> externalEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(MODE_VARIABLE, "external");
        for (Service service : List.of(Service.PAYMENT, Service.LEDGER, Service.NOTIFICATION)) {
            env.put(service.urlVariable(), url(service));
        }
        env.put("OAUTH2_TOKEN_URI", tokenUri);
        env.putAll(opsEnvironment());
        env.put("DEMO_WALLET_ID", wallet.clientId());
        env.put("DEMO_OPERATOR_ID", operator.clientId());
        return env;
    }

    public String tokenUri() {
        return tokenUri;
    }

    /** The client that owns customer accounts and pays out of them (demo-wallet): HTTP and its Kafka topic. */
    public ClientCredentials wallet() {
        return wallet;
    }

    /** The operator (scopes ops and funding): opens SYSTEM accounts, funds, reads everything. */
    public ClientCredentials operator() {
        return operator;
    }

    /** The client's token, each time asked (renewed before it expires), for an {@code Authorization} header. */
    public static Supplier<String> tokens(ClientCredentials client) {
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

    /** Where this run keeps its logs and data (local), or the module's work directory (external). */
    public Path workDirectory() {
        return workDirectory;
    }

    /**
     * Stops the Kafka broker (a controlled shutdown, its data kept) while the services run on. Local stack only.
     */
    public synchronized void stopBroker() {
        requireLocal();
        if (broker == null) {
            throw new IllegalStateException("the broker is stopped already");
        }
        log.info("Stopping the Kafka broker ({})", kafkaBootstrapServers);
        broker.close();
        broker = null;
    }

    /** Starts the broker again on its port, with its data: the services reconnect by themselves. */
    public synchronized void startBroker() {
        requireLocal();
        if (broker != null) {
            throw new IllegalStateException("the broker runs already");
        }
        int port = Integer.parseInt(kafkaBootstrapServers.substring(kafkaBootstrapServers.lastIndexOf(':') + 1));
        broker = EmbeddedKafkaBroker.builder().port(port).dataDirectory(workDirectory.resolve("kafka")).start();
        log.info("Kafka broker started again ({})", kafkaBootstrapServers);
    }

    /** Stops PostgreSQL (its data kept) while the services run on. Local stack only. */
    public synchronized void stopDatabase() {
        requireLocal();
        if (postgres == null) {
            throw new IllegalStateException("PostgreSQL is stopped already");
        }
        log.info("Stopping PostgreSQL ({})", database.url());
        postgres.close();
        postgres = null;
    }

    /** Starts PostgreSQL again on its port, with its data: the services' pools reconnect by themselves. */
    public synchronized void startDatabase() {
        requireLocal();
        if (postgres != null) {
            throw new IllegalStateException("PostgreSQL runs already");
        }
        int port = Integer.parseInt(database.url().replaceAll("^jdbc:postgresql://[^:/]+:(\\d+)/.*$", "$1"));
        postgres = postgres(port, workDirectory.resolve("postgres")).start();
        log.info("PostgreSQL started again ({})", database.url());
    }

    /**
     * The local PostgreSQL, with each system property {@value #POSTGRES_SETTING_PREFIX}{@code <name>} as a setting,
     * e.g. {@code -Dpayledger.system-stack.postgres.shared_preload_libraries=pg_stat_statements} to see which
     * statements cost what under load.
     */
    private static EmbeddedPostgresServer.Builder postgres(int port, Path dataDirectory) {
        EmbeddedPostgresServer.Builder builder = EmbeddedPostgresServer.builder().port(port)
                .dataDirectory(dataDirectory).registerShutdownHook(false);
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(POSTGRES_SETTING_PREFIX)) {
                builder.setting(name.substring(POSTGRES_SETTING_PREFIX.length()), System.getProperty(name));
            }
        }
        return builder;
    }

    private void requireLocal() {
        if (!local) {
            throw new UnsupportedOperationException(processControlUnavailable().orElseThrow());
        }
    }

    /** Stops the services (SIGTERM to all, SIGKILL to any still running 30 s later), then the broker and PostgreSQL. */
    @Override
    public synchronized void close() {
        List<ServiceProcess> running = new ArrayList<>(processes.values());
        Collections.reverse(running);
        running.forEach(p -> log.info("{} used {} ms of CPU in its current run", p.service(),
                p.cpuTime().map(Duration::toMillis).map(String::valueOf).orElse("?")));
        running.forEach(ServiceProcess::terminate);
        for (ServiceProcess process : running) {
            process.awaitStopped(Duration.ofSeconds(30));
        }
        if (broker != null) {
            broker.close();
            broker = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(MODE_VARIABLE + "=external needs " + name);
        }
        return value.trim();
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
