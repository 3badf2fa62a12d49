package io.payledger.platform.messaging;

import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topic;
import io.payledger.schemas.topic.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * Where Kafka is and how topics are laid out, bound from {@code payledger.kafka.*} (environment:
 * {@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL}, {@code KAFKA_PARTITIONS},
 * {@code KAFKA_REPLICATION_FACTOR}, {@code KAFKA_COMPRESSION}, {@code KAFKA_CLIENT_CONFIG}), and the one
 * source of every Kafka client's settings: consumers, producers, admin clients, the relays and their
 * checkpoint readers, topic creation and all of Kafka Streams' clients.
 *
 * <p>{@code client} holds settings for every client (security, timeouts, rack), e.g.
 * {@code payledger.kafka.client[security.protocol]=SASL_SSL}; {@code clientConfigFile} names a Kafka
 * client properties file whose settings go to every client too (the {@code --command-config} of
 * Kafka's own tools), with {@code client} entries taking precedence. {@code consumer} and
 * {@code producer} hold settings for one kind only, e.g.
 * {@code payledger.kafka.consumer[session.timeout.ms]=20000}, and take precedence over both.
 *
 * <p>Every consumer's group session lasts {@link #DEFAULT_SESSION_TIMEOUT} unless set otherwise: a process
 * killed without leaving its group keeps its partitions that long, so Kafka's 45 s default would stall
 * its partitions for 45 s however quickly a replacement starts.
 */
@ConfigurationProperties("payledger.kafka")
public record KafkaSettings(String bootstrapServers, String schemaRegistryUrl, int partitions,
                            short replicationFactor, String compression, Map<String, String> consumer,
                            Map<String, String> producer, Map<String, String> client, String clientConfigFile) {

    /**
     * A consumer's {@code session.timeout.ms} unless configured (for every client, the client config file included, or
     * for consumers): the broker's minimum (6 s) with room for GC pauses.
     */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

    /** Settings without client-wide settings, as tests and tools make them. */
    public KafkaSettings(String bootstrapServers, String schemaRegistryUrl, int partitions, short replicationFactor,
                         String compression, Map<String, String> consumer, Map<String, String> producer) {
        this(bootstrapServers, schemaRegistryUrl, partitions, replicationFactor, compression, consumer, producer,
                null, null);
    }

    @ConstructorBinding
    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("payledger.kafka.bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS) is required");
        }
        partitions = partitions <= 0 ? 12 : partitions;
        replicationFactor = replicationFactor <= 0 ? 1 : replicationFactor;
        compression = compression == null || compression.isBlank() ? "lz4" : compression;
        consumer = consumer == null ? Map.of() : Map.copyOf(consumer);
        producer = producer == null ? Map.of() : Map.copyOf(producer);
        client = withFile(clientConfigFile, client == null ? Map.of() : client);
    }

    private static Map<String, String> withFile(String clientConfigFile, Map<String, String> client) {
        if (clientConfigFile == null || clientConfigFile.isBlank()) {
            return Map.copyOf(client);
        }
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(clientConfigFile), StandardCharsets.UTF_8)) {
            file.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("payledger.kafka.client-config-file (KAFKA_CLIENT_CONFIG) "
                    + clientConfigFile + " cannot be read: " + e.getMessage(), e);
        }
        Map<String, String> merged = new HashMap<>();
        file.stringPropertyNames().forEach(name -> merged.put(name, file.getProperty(name)));
        merged.putAll(client);
        return Map.copyOf(merged);
    }

    /** What every client of the platform starts from: the cluster and the client-wide settings. */
    private Map<String, Object> common() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putAll(client);
        return config;
    }

    public SerdeSettings serdeSettings() {
        return SerdeSettings.fromRegistryUrl(schemaRegistryUrl);
    }

    /**
     * Consumer settings for listeners: raw bytes (decoded by the listener, so poison keeps its bytes),
     * manual commits after processing, and only committed transactional writes.
     */
    public Map<String, Object> consumerConfig(String groupId, int maxPollRecords) {
        Map<String, Object> config = common();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) DEFAULT_SESSION_TIMEOUT.toMillis());
        config.putAll(consumer);
        return config;
    }

    /**
     * A reader outside any consumer group (nothing committed, positions chosen by the caller), of
     * committed transactional writes only, with the listeners' further client settings.
     */
    public Map<String, Object> readerConfig(String clientId, int maxPollRecords) {
        Map<String, Object> config = consumerConfig(null, maxPollRecords);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    /** An admin client of the same cluster. */
    public Map<String, Object> adminConfig(String clientId) {
        Map<String, Object> config = common();
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    /** An idempotent producer of raw bytes, acknowledged by all in-sync replicas, compressing batches. */
    public Map<String, Object> producerConfig(String clientId) {
        Map<String, Object> config = common();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        config.putAll(producer);
        return config;
    }

    /**
     * Settings for a Kafka Streams application: client-wide settings go to all its clients, and the
     * consumer and producer settings to its consumers and producers (Streams' prefixes).
     */
    public Map<String, Object> streamsConfig() {
        Map<String, Object> config = common();
        // StreamsConfig.consumerPrefix and producerPrefix, without a dependency on Kafka Streams here.
        // Prefixed, the default would override a client-wide setting, which Streams gives every client
        if (!client.containsKey(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)) {
            config.put("consumer." + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                    (int) DEFAULT_SESSION_TIMEOUT.toMillis());
        }
        consumer.forEach((name, value) -> config.put("consumer." + name, value));
        config.put("producer." + ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        producer.forEach((name, value) -> config.put("producer." + name, value));
        return config;
    }

    /**
     * Every topic of fixed name ({@link Topics#all()}), with its own configuration ({@link Topic#config()}:
     * {@code ledger.accounts} is compacted), and its dead-letter topic. Each service declares them
     * all so that start order does not matter; creation is idempotent. (Each relay creates its own checkpoint
     * topic; a producer's payment command topics, {@code payments.commands.<producer>} and its dead-letter
     * topic, are the operator's to create when onboarding it.)
     */
    public List<NewTopic> platformTopics() {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic<String, ?> topic : Topics.all()) {
            topics.add(new NewTopic(topic.name(), partitions, replicationFactor).configs(topic.config()));
            topics.add(new NewTopic(topic.deadLetterTopic(), partitions, replicationFactor));
        }
        return topics;
    }
}
