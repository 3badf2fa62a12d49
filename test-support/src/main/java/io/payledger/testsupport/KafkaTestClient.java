package io.payledger.testsupport;

import io.payledger.schemas.topic.TopicEnd;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Raw Kafka access for tests: create topics, write bytes, read a topic from the beginning. */
public final class KafkaTestClient implements AutoCloseable {

    private final String bootstrapServers;
    private final Map<String, Object> clientSettings;
    private final KafkaProducer<byte[], byte[]> producer;

    public KafkaTestClient(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /**
     * A client with further settings for every Kafka client it makes, e.g. a secured broker's
     * {@code EmbeddedKafkaBroker#clientProperties(user)}: SASL_SSL as that user.
     */
    public KafkaTestClient(String bootstrapServers, Map<String, ?> clientSettings) {
        this.bootstrapServers = bootstrapServers;
        this.clientSettings = Map.copyOf(clientSettings);
        Map<String, Object> config = new HashMap<>(this.clientSettings);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(config);
    }

    /** Creates the topics that do not exist yet. */
    public void createTopics(int partitions, String... topics) {
        Map<String, Object> config = new HashMap<>(clientSettings);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create " + topic, e);
                    }
                }
            }
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes one record and waits for the broker's acknowledgement. */
    public void send(String topic, String key, byte[] value, Map<String, String> headers) {
        send(topic, null, key, value, headers);
    }

    /** Writes one record to the given partition (null: the key's) and waits for the acknowledgement. */
    public void send(String topic, Integer partition, String key, byte[] value, Map<String, String> headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach((name, headerValue) -> recordHeaders.add(name, headerValue.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(new ProducerRecord<>(topic, partition, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    value, recordHeaders)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write to " + topic, e);
        }
    }

    public void send(String topic, String key, byte[] value) {
        send(topic, key, value, Map.of());
    }

    /**
     * Reads {@code topic} from the beginning (committed records only) until the records read so far
     * satisfy {@code until}, or fails after {@code timeout}. Returns every record read.
     */
    public List<ConsumerRecord<byte[], byte[]>> readUntil(String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> until,
                                                          Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(readerConfig())) {
            List<TopicPartition> partitions = TopicEnd.partitions(consumer, topic, Duration.ofSeconds(30));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!until.test(records)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out after " + timeout + " reading " + topic + "; read "
                            + records.size() + " records");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    /** Everything on the topic now: reads until the end offsets seen at the start. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(readerConfig())) {
            return TopicEnd.readAll(consumer, topic, Duration.ofSeconds(30));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new AssertionError("timed out reading " + topic + " to its end", e);
        }
    }

    private Map<String, Object> readerConfig() {
        Map<String, Object> config = new HashMap<>(clientSettings);
        config.putAll(TopicEnd.readCommittedConsumerConfig(bootstrapServers));
        return config;
    }

    public static Optional<String> header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
