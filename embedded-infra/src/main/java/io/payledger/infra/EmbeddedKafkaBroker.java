package io.payledger.infra;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final Path directory;
    private final boolean temporary;
    private final int port;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path directory, boolean temporary, int port) {
        this.server = server;
        this.directory = directory;
        this.temporary = temporary;
        this.port = port;
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
            config.putAll(overrides);
            KafkaConfig kafkaConfig = KafkaConfig.fromProps(config, false);
            format(logDirectory, directory);

            KafkaRaftServer server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
            server.startup();
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, directory, temporary, brokerPort);
            try {
                broker.awaitReady(Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
            log.info("Kafka (KRaft) ready on {} in {} ms, data in {}", broker.bootstrapServers(),
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

    private void awaitReady(Duration timeout) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(config)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka did not become ready on " + bootstrapServers(), e);
                    }
                }
                sleep(100);
            }
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
