package io.payledger.ops;

import io.payledger.schemas.topic.DeadLetterHeaders;
import io.payledger.schemas.topic.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code dlt list | inspect | redrive}: what is on the dead-letter topics, one record in full, and
 * sending records back to the topic they came from once the cause is fixed. Redrive remembers how far
 * it got (a consumer group per dead-letter topic), so running it twice sends nothing twice; it is a
 * dry run unless {@code --execute} is given.
 */
final class DeadLetterCommand {

    private static final Duration POLL = Duration.ofMillis(200);

    private final OpsEnvironment environment;
    private final PrintStream out;

    DeadLetterCommand(OpsEnvironment environment, PrintStream out) {
        this.environment = environment;
        this.out = out;
    }

    int run(List<String> arguments) throws Exception {
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("dlt needs a subcommand: list, inspect or redrive");
        }
        List<String> rest = arguments.subList(1, arguments.size());
        return switch (arguments.get(0)) {
            case "list" -> list(Options.parse(rest, Set.of("topic", "limit"), Set.of()));
            case "inspect" -> inspect(Options.parse(rest, Set.of("topic", "partition", "offset"), Set.of()));
            case "redrive" -> redrive(Options.parse(rest, Set.of("topic", "partition", "offset"), Set.of("execute")));
            default -> throw new IllegalArgumentException("unknown dlt subcommand " + arguments.get(0));
        };
    }

    private int list(Options options) {
        int limit = Integer.parseInt(options.value("limit").orElse("20"));
        List<String> topics = options.value("topic").map(List::of).orElseGet(() -> Topics.all().stream()
                .map(t -> t.deadLetterTopic()).toList());
        for (String topic : topics) {
            List<ConsumerRecord<byte[], byte[]>> records = readAll(topic);
            out.printf("%s: %d records%n", topic, records.size());
            records.stream().skip(Math.max(0, records.size() - limit)).forEach(record -> out.printf(
                    "  %d@%d  from %s-%s@%s  %s: %s%n", record.partition(), record.offset(),
                    header(record, DeadLetterHeaders.SOURCE_TOPIC), header(record, DeadLetterHeaders.SOURCE_PARTITION),
                    header(record, DeadLetterHeaders.SOURCE_OFFSET), header(record, DeadLetterHeaders.FAILED_AT),
                    header(record, DeadLetterHeaders.ERROR_MESSAGE)));
        }
        return 0;
    }

    private int inspect(Options options) {
        String topic = options.required("topic");
        ConsumerRecord<byte[], byte[]> record = readOne(topic, Integer.parseInt(options.required("partition")),
                Long.parseLong(options.required("offset")));
        out.printf("%s %d@%d, timestamp %d%n", topic, record.partition(), record.offset(), record.timestamp());
        out.printf("key: %s%n", record.key() == null ? "(none)" : new String(record.key(), StandardCharsets.UTF_8));
        for (Header header : record.headers()) {
            out.printf("header %s: %s%n", header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        byte[] value = record.value();
        out.printf("value: %d bytes: %s%n", value == null ? 0 : value.length,
                value == null ? "(none)" : HexFormat.ofDelimiter(" ").formatHex(value, 0, Math.min(value.length, 64))
                        + (value.length > 64 ? " ..." : ""));
        Topics.byName(header(record, DeadLetterHeaders.SOURCE_TOPIC)).ifPresent(source -> {
            try {
                out.println("decoded: " + source.valueSerde(environment.serdeSettings()).deserializer()
                        .deserialize(source.name(), value));
            } catch (RuntimeException e) {
                out.println("does not decode as " + source.name() + ": " + e.getMessage());
            }
        });
        return 0;
    }

    private int redrive(Options options) throws Exception {
        String topic = options.required("topic");
        boolean execute = options.flag("execute");
        List<ConsumerRecord<byte[], byte[]>> records;
        boolean single = options.value("partition").isPresent();
        if (single) {
            records = List.of(readOne(topic, Integer.parseInt(options.required("partition")),
                    Long.parseLong(options.required("offset"))));
        } else {
            records = readPending(topic);
        }
        if (records.isEmpty()) {
            out.printf("%s: nothing to redrive%n", topic);
            return 0;
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                String source = header(record, DeadLetterHeaders.SOURCE_TOPIC);
                if (source == null) {
                    out.printf("  skip %d@%d: no %s header%n", record.partition(), record.offset(),
                            DeadLetterHeaders.SOURCE_TOPIC);
                    continue;
                }
                out.printf("  %s %d@%d -> %s%n", execute ? "redrive" : "would redrive", record.partition(),
                        record.offset(), source);
                if (execute) {
                    RecordHeaders headers = new RecordHeaders();
                    for (Header header : record.headers()) {
                        if (!header.key().startsWith("dlt.")) {
                            headers.add(header);
                        }
                    }
                    producer.send(new ProducerRecord<>(source, null, record.key(), record.value(), headers))
                            .get(30, TimeUnit.SECONDS);
                }
            }
        }
        if (!execute) {
            out.println("dry run: nothing sent; add --execute to redrive");
        } else if (!single) {
            commitRedriven(topic, records);
        }
        return 0;
    }

    /** Records after the redrive group's position: what earlier redrives have not sent yet. */
    private List<ConsumerRecord<byte[], byte[]>> readPending(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(redriveGroup(topic))) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata position = committed.get(partition);
                if (position == null) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seek(partition, position.offset());
                }
            }
            drain(consumer, partitions, records);
        }
        return records;
    }

    private void commitRedriven(String topic, List<ConsumerRecord<byte[], byte[]>> records) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(redriveGroup(topic))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                offsets.merge(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1),
                        (a, b) -> a.offset() >= b.offset() ? a : b);
            }
            consumer.commitSync(offsets);
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(null)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            drain(consumer, partitions, records);
        }
        return records;
    }

    private ConsumerRecord<byte[], byte[]> readOne(String topic, int partition, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(null)) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() == offset) {
                        return record;
                    }
                    if (record.offset() > offset) {
                        break;
                    }
                }
                if (consumer.position(tp) > offset) {
                    break;
                }
            }
        }
        throw new IllegalArgumentException("no record at " + topic + " " + partition + "@" + offset);
    }

    private static void drain(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                              List<ConsumerRecord<byte[], byte[]>> into) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
            consumer.poll(POLL).forEach(into::add);
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.kafkaBootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config);
    }

    static String redriveGroup(String deadLetterTopic) {
        return "payledger-ops.redrive." + deadLetterTopic;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
