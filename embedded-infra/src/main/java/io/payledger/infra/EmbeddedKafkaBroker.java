package io.payledger.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster in this JVM: Kafka's own server code in KRaft mode, one process
 * acting as broker and controller. Transactions and consumer groups work as on a real cluster; the
 * replication factor of everything is 1.
 *
 * <p>By default clients connect in plaintext and may do anything. {@link Builder#secured()} starts it as a
 * production cluster would run: clients on a {@code SASL_SSL} listener (TLS with a self-signed certificate
 * for {@code localhost} made at start, SCRAM-SHA-512 users), every request authorized by Kafka's
 * {@code StandardAuthorizer} against ACLs ({@code allow.everyone.if.no.acl.found=false}), {@code User:admin}
 * the one super user. {@link #clientProperties(String)} gives a user's client settings, and
 * {@link #writeClientProperties(String, Path)} writes them as a Kafka client properties file (what
 * {@code KAFKA_CLIENT_CONFIG} names).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final int SCRAM_ITERATIONS = 4096;

    /** The super user of a secured broker, whose password {@link #clientProperties(String)} knows. */
    public static final String ADMIN_USER = BrokerSecurity.ADMIN_USER;
    /** The SASL mechanism of a secured broker's client listener. */
    public static final String SCRAM_MECHANISM = BrokerSecurity.SCRAM_MECHANISM;

    private final KafkaRaftServer server;
    private final Path directory;
    private final boolean temporary;
    private final int port;
    private final BrokerSecurity security;
    private final int internalPort;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path directory, boolean temporary, int port,
                                BrokerSecurity security, int internalPort) {
        this.server = server;
        this.directory = directory;
        this.temporary = temporary;
        this.port = port;
        this.security = security;
        this.internalPort = internalPort;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    /** Whether clients must use SASL_SSL with a SCRAM user, and ACLs decide what each may do. */
    public boolean secured() {
        return security != null;
    }

    /** The SCRAM users of a secured broker, {@link #ADMIN_USER} among them. */
    public Set<String> users() {
        return requireSecured().users().keySet();
    }

    /**
     * The settings a client of {@code user} needs besides {@code bootstrap.servers}: {@code security.protocol},
     * {@code sasl.mechanism}, {@code sasl.jaas.config} and the truststore. Empty for a plaintext broker.
     */
    public Map<String, String> clientProperties(String user) {
        return security == null ? Map.of() : security.clientProperties(user, security.password(user));
    }

    /** As {@link #clientProperties(String)}, with a password of the caller's (a wrong one, in a test). */
    public Map<String, String> clientProperties(String user, String password) {
        return requireSecured().clientProperties(user, password);
    }

    /**
     * Writes {@link #clientProperties(String)} of {@code user} to {@code file} (readable by its owner only,
     * where the file system has POSIX permissions): a Kafka client properties file, as Kafka's tools take
     * with {@code --command-config} and the platform with {@code KAFKA_CLIENT_CONFIG}.
     */
    public Path writeClientProperties(String user, Path file) {
        Map<String, String> properties = clientProperties(user);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.deleteIfExists(file);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.write("# Kafka client settings of " + (secured() ? "User:" + user : "any client") + " for the embedded broker on "
                        + bootstrapServers() + " (bootstrap.servers not included)\n");
                for (Map.Entry<String, String> entry : properties.entrySet()) {
                    // Properties.load reads a backslash as an escape: a Windows path needs its own escaped.
                    out.write(entry.getKey() + "=" + entry.getValue().replace("\\", "\\\\") + "\n");
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    /**
     * {@link #writeClientProperties(String, Path)} to {@code clients/<user>.properties} in the broker's data
     * directory (deleted with it when temporary).
     */
    public Path writeClientProperties(String user) {
        return writeClientProperties(user, directory.resolve("clients").resolve(user + ".properties"));
    }

    /** The truststore (PKCS12) holding the secured broker's certificate. */
    public Path truststoreLocation() {
        return requireSecured().truststore();
    }

    public String truststorePassword() {
        return requireSecured().truststorePassword();
    }

    /**
     * Every password of a secured broker (its users', its internal listeners', its keystore's and
     * truststore's), for tests that prove none of them is logged.
     */
    public List<String> secrets() {
        return security == null ? List.of() : security.secrets();
    }

    private BrokerSecurity requireSecured() {
        if (security == null) {
            throw new IllegalStateException("this broker is not secured; start it with EmbeddedKafkaBroker.builder().secured()");
        }
        return security;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (temporary) {
            Directories.deleteRecursively(directory);
        }
    }

    public static final class Builder {

        private int port;
        private Path dataDirectory;
        private boolean secured;
        private final Map<String, String> users = new LinkedHashMap<>();
        private final Properties overrides = new Properties();

        /** The client port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Keep the log here and reuse it across restarts; by default a temporary directory is deleted on close. */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        /**
         * Starts the broker secured: clients connect over {@code SASL_SSL} (TLS, SCRAM-SHA-512) and need ACLs
         * for everything but what {@code User:admin}, the super user, does. The broker's own connections (to
         * its controller, and its inter-broker listener for transaction markers) use SASL/PLAIN on
         * localhost-only listeners with a password that never leaves this JVM.
         */
        public Builder secured() {
            this.secured = true;
            return this;
        }

        /**
         * A SCRAM-SHA-512 user of the secured broker (this implies {@link #secured()}). Users are created
         * (or their passwords reset) at every start, so a persistent broker takes new users and passwords.
         * Without one of its own, {@code admin} gets a random password.
         */
        public Builder scramUser(String name, String password) {
            this.secured = true;
            users.put(name, password);
            return this;
        }

        /** {@link #scramUser(String, String)} with a random password ({@link EmbeddedKafkaBroker#clientProperties(String)} knows it). */
        public Builder scramUser(String name) {
            return scramUser(name, BrokerSecurity.randomPassword());
        }

        /** {@link #scramUser(String, String)} for each user. */
        public Builder scramUsers(Map<String, String> users) {
            users.forEach(this::scramUser);
            return this;
        }

        /** Any broker setting, e.g. {@code log.retention.hours}. */
        public Builder brokerSetting(String name, String value) {
            overrides.setProperty(name, value);
            return this;
        }

        public EmbeddedKafkaBroker start() {
            long started = System.nanoTime();
            boolean temporary = dataDirectory == null;
            Path directory = temporary ? Directories.temporary("payledger-kafka") : Directories.created(dataDirectory);
            Path logDirectory = Directories.created(directory.resolve("logs"));
            int brokerPort = FreePorts.orPick(port);
            int controllerPort = FreePorts.pick();
            BrokerSecurity security = secured ? BrokerSecurity.create(users, directory.resolve("tls")) : null;
            int internalPort = secured ? FreePorts.pick() : 0;

            Properties config = new Properties();
            config.putAll(Map.ofEntries(
                    Map.entry("process.roles", "broker,controller"),
                    Map.entry("node.id", Integer.toString(NODE_ID)),
                    Map.entry("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort),
                    Map.entry("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort),
                    Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort),
                    Map.entry("controller.listener.names", "CONTROLLER"),
                    Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                    Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                    Map.entry("log.dirs", logDirectory.toString()),
                    Map.entry("num.partitions", "12"),
                    Map.entry("auto.create.topics.enable", "false"),
                    // One node: every internal topic has one replica, and needs only one in sync.
                    Map.entry("offsets.topic.replication.factor", "1"),
                    Map.entry("offsets.topic.num.partitions", "10"),
                    Map.entry("transaction.state.log.replication.factor", "1"),
                    Map.entry("transaction.state.log.min.isr", "1"),
                    Map.entry("transaction.state.log.num.partitions", "10"),
                    Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                    Map.entry("share.coordinator.state.topic.min.isr", "1"),
                    Map.entry("min.insync.replicas", "1"),
                    Map.entry("default.replication.factor", "1"),
                    // Consumer groups form at once instead of waiting for more members.
                    Map.entry("group.initial.rebalance.delay.ms", "0"),
                    Map.entry("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024))));
            if (security != null) {
                config.putAll(security.brokerConfig(brokerPort, internalPort, controllerPort));
            }
            config.putAll(overrides);
            KafkaConfig kafkaConfig = KafkaConfig.fromProps(config, false);
            format(logDirectory, directory);

            KafkaRaftServer server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
            server.startup();
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, directory, temporary, brokerPort, security,
                    internalPort);
            try {
                broker.awaitReady(Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
            log.info("Kafka (KRaft) ready on {}{} in {} ms, data in {}", broker.bootstrapServers(),
                    security == null ? "" : " (SASL_SSL, " + SCRAM_MECHANISM + " users " + security.users().keySet()
                            + ", ACLs enforced)",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), directory);
            return broker;
        }

        /** Formats the log directory once; a persistent directory keeps its cluster ID across restarts. */
        private static void format(Path logDirectory, Path directory) {
            if (Files.exists(logDirectory.resolve("meta.properties"))) {
                return;
            }
            try {
                new Formatter()
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                        .setClusterId(Uuid.randomUuid().toString())
                        .setNodeId(NODE_ID)
                        .addDirectory(logDirectory.toString())
                        .setMetadataLogDirectory(logDirectory.toString())
                        .setControllerListenerName("CONTROLLER")
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                        .setIgnoreFormatted(true)
                        .run();
            } catch (Exception e) {
                throw new IllegalStateException("could not format Kafka storage in " + directory, e);
            }
        }
    }

    /**
     * Waits for the broker to serve; a secured one is reached first through its internal listener, its SCRAM
     * users are created (or their passwords reset), and then its client listener must take the admin's.
     */
    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = new HashMap<>();
        if (security == null) {
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        } else {
            config.putAll(security.internalAdminConfig(internalPort));
        }
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(config)) {
            awaitNodes(admin, deadline, (String) config.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
            if (security != null) {
                createScramUsers(admin, deadline);
            }
        }
        if (security != null) {
            Map<String, Object> client = new HashMap<>(clientProperties(ADMIN_USER));
            client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            client.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
            try (Admin admin = Admin.create(client)) {
                awaitNodes(admin, deadline, bootstrapServers());
            }
        }
    }

    private static void awaitNodes(Admin admin, long deadline, String where) {
        while (true) {
            try {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka did not become ready on " + where, e);
                }
            }
            sleep(100);
        }
    }

    /**
     * Creates every SCRAM user, or resets its password: a persistent broker keeps the users of its last run,
     * and its passwords may have changed since. Returns once the broker itself knows them all.
     */
    private void createScramUsers(Admin admin, long deadline) {
        ScramCredentialInfo info = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS);
        List<UserScramCredentialAlteration> upserts = security.users().entrySet().stream()
                .<UserScramCredentialAlteration>map(user -> new UserScramCredentialUpsertion(user.getKey(), info,
                        user.getValue()))
                .toList();
        try {
            admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
            // Altered through the controller; the broker serves clients from its own copy of the metadata.
            while (true) {
                Map<String, UserScramCredentialsDescription> known = admin.describeUserScramCredentials(
                        List.copyOf(security.users().keySet())).all().get(30, TimeUnit.SECONDS);
                if (known.keySet().containsAll(security.users().keySet())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka did not take its SCRAM users " + security.users().keySet());
                }
                sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the SCRAM users of the embedded broker", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
