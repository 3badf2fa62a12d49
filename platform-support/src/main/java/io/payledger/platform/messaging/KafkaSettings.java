package io.payledger.platform.messaging;

import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topic;
import io.payledger.schemas.topic.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where Kafka is and how topics are laid out, bound from {@code payledger.kafka.*} (environment:
 * {@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL}, {@code KAFKA_PARTITIONS},
 * {@code KAFKA_REPLICATION_FACTOR}, {@code KAFKA_COMPRESSION}). {@code consumer} and {@code producer} hold
 * any further client setting, e.g. {@code payledger.kafka.consumer[session.timeout.ms]=10000}.
 */
@ConfigurationProperties("payledger.kafka")
public record KafkaSettings(String bootstrapServers, String schemaRegistryUrl, int partitions,
                            short replicationFactor, String compression, Map<String, String> consumer,
                            Map<String, String> producer) {

    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("payledger.kafka.bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS) is required");
        }
        partitions = partitions <= 0 ? 12 : partitions;
        replicationFactor = replicationFactor <= 0 ? 1 : replicationFactor;
        compression = compression == null || compression.isBlank() ? "lz4" : compression;
        consumer = consumer == null ? Map.of() : Map.copyOf(consumer);
        producer = producer == null ? Map.of() : Map.copyOf(producer);
    }

    public SerdeSettings serdeSettings() {
        return SerdeSettings.fromRegistryUrl(schemaRegistryUrl);
    }

    /**
     * Consumer settings for listeners: raw bytes (decoded by the listener, so poison keeps its bytes),
     * manual commits after processing, and only committed transactional writes.
     */
    public Map<String, Object> consumerConfig(String groupId, int maxPollRecords) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
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
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    /** An idempotent producer of raw bytes, acknowledged by all in-sync replicas, compressing batches. */
    public Map<String, Object> producerConfig(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
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
     * Every topic of the platform with its dead-letter topic. Each service declares them all so that
     * start order does not matter; creation is idempotent. (Each relay creates its own checkpoint topic.)
     */
    public List<NewTopic> platformTopics() {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic<String, ?> topic : Topics.all()) {
            topics.add(new NewTopic(topic.name(), partitions, replicationFactor));
            topics.add(new NewTopic(topic.deadLetterTopic(), partitions, replicationFactor));
        }
        return topics;
    }
}
