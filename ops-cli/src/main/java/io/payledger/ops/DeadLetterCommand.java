package io.payledger.ops;

import io.payledger.schemas.topic.DeadLetterHeaders;
import io.payledger.schemas.topic.Topic;
import io.payledger.schemas.topic.TopicEnd;
import io.payledger.schemas.topic.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@code dlt list | inspect | redrive}: what is on the dead-letter topics, one record in full, and
 * sending records back to the topic they came from once the cause is fixed. Redrive remembers how far
 * it got (a consumer group per dead-letter topic), so running it twice sends nothing twice; it is a
 * dry run unless {@code --execute} is given.
 *
 * <p>A source record read by several consumer groups has a dead letter per group that failed on it.
 * List and inspect show those copies together; redrive sends each copy back once, marked
 * ({@link DeadLetterHeaders#REDRIVE_TARGET_GROUP}) for the group that dead-lettered it, which alone
 * processes it: every group gets its record back once, and no other group's.
 */
final class DeadLetterCommand {

    private static final Duration POLL = Duration.ofMillis(200);
    /** A read that cannot reach a topic's end fails rather than act on part of it. */
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

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
        List<String> topics = options.value("topic").map(List::of).orElseGet(this::deadLetterTopics);
        for (String topic : topics) {
            List<ConsumerRecord<byte[], byte[]>> records = readAll(topic);
            List<List<ConsumerRecord<byte[], byte[]>>> bySource = bySourceRecord(records);
            out.printf("%s: %d records from %d source record%s%n", topic, records.size(), bySource.size(),
                    bySource.size() == 1 ? "" : "s");
            for (List<ConsumerRecord<byte[], byte[]>> copies : bySource.subList(Math.max(0, bySource.size() - limit),
                    bySource.size())) {
                out.printf("  from %s, dead-lettered by %s%n", source(copies.get(0)), groups(copies));
                copies.forEach(record -> out.printf("    %d@%d  %s  %s  %s: %s%n", record.partition(),
                        record.offset(), group(record), header(record, DeadLetterHeaders.FAILED_AT),
                        header(record, DeadLetterHeaders.ERROR_CLASS), header(record, DeadLetterHeaders.ERROR_MESSAGE)));
            }
        }
        return 0;
    }

    /**
     * Every dead-letter topic of the platform: those of the topics of fixed name, and of every producer's
     * payment command topic the cluster has ({@code payments.commands.<producer>.dlt}).
     */
    private List<String> deadLetterTopics() {
        List<String> topics = new ArrayList<>(Topics.all().stream().map(Topic::deadLetterTopic).toList());
        try (Admin admin = Admin.create(environment.kafka().adminConfig("payledger-ops.dead-letters"))) {
            admin.listTopics().names().get(READ_TIMEOUT.toSeconds(), TimeUnit.SECONDS).stream()
                    .filter(Topics::isPaymentCommandsDeadLetterTopic).sorted().forEach(topics::add);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the cluster's topics: " + e.getMessage(), e);
        }
        return topics;
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
        List<ConsumerRecord<byte[], byte[]>> copies = bySourceRecord(readAll(topic)).stream()
                .filter(group -> group.stream().anyMatch(copy -> sameRecord(copy, record))).findFirst()
                .orElse(List.of(record));
        out.printf("copies of %s: %d, dead-lettered by %s%n", source(record), copies.size(), copies.stream()
                .map(copy -> group(copy) + " (" + copy.partition() + "@" + copy.offset() + ")")
                .collect(Collectors.joining(", ")));
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
        List<ConsumerRecord<byte[], byte[]>> done = new ArrayList<>();
        Map<String, ConsumerRecord<byte[], byte[]>> sentFor = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(environment.kafka().producerConfig("payledger-ops.redrive"))) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                String source = header(record, DeadLetterHeaders.SOURCE_TOPIC);
                String target = header(record, DeadLetterHeaders.CONSUMER_GROUP);
                if (source == null) {
                    out.printf("  skip %d@%d: no %s header%n", record.partition(), record.offset(),
                            DeadLetterHeaders.SOURCE_TOPIC);
                    done.add(record);
                    continue;
                }
                String omitted = header(record, DeadLetterHeaders.VALUE_OMITTED);
                if (omitted != null) {
                    // Too large to dead-letter whole: there is nothing here to send back.
                    out.printf("  skip %d@%d: %s%n", record.partition(), record.offset(), omitted);
                    done.add(record);
                    continue;
                }
                // A group that dead-lettered a record, then crashed before committing, dead-letters it again
                // when it reads it again: that group needs it back once.
                ConsumerRecord<byte[], byte[]> earlier = target == null ? null
                        : sentFor.putIfAbsent(sourceKey(record) + " " + target, record);
                if (earlier != null) {
                    out.printf("  skip %d@%d: %s already %s for %s from %d@%d%n", record.partition(), record.offset(),
                            source(record), execute ? "redriven" : "would be redriven", target, earlier.partition(),
                            earlier.offset());
                    done.add(record);
                    continue;
                }
                out.printf("  %s %d@%d (%s) -> %s for %s%n", execute ? "redrive" : "would redrive", record.partition(),
                        record.offset(), source(record), source,
                        target == null ? "every consumer group (no " + DeadLetterHeaders.CONSUMER_GROUP + " header)"
                                : target);
                if (execute) {
                    producer.send(new ProducerRecord<>(source, null, record.key(), record.value(),
                            redriveHeaders(record, target))).get(30, TimeUnit.SECONDS);
                }
                done.add(record);
            }
        } finally {
            // What was sent is remembered even if a later send failed, so a rerun does not send it twice.
            if (execute && !single && !done.isEmpty()) {
                commitRedriven(topic, done);
            }
        }
        if (!execute) {
            out.println("dry run: nothing sent; add --execute to redrive");
        }
        return 0;
    }

    /** The original headers, without the dead-letter ones, naming the one group that is to process the record. */
    private static RecordHeaders redriveHeaders(ConsumerRecord<byte[], byte[]> record, String targetGroup) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith("dlt.") && !header.key().equals(DeadLetterHeaders.REDRIVE_TARGET_GROUP)) {
                headers.add(header);
            }
        }
        if (targetGroup != null) {
            headers.add(DeadLetterHeaders.REDRIVE_TARGET_GROUP, targetGroup.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    /**
     * Dead letters grouped by the source record they are copies of (source topic, partition and offset),
     * each group in the order its copies were written, the groups in the order their first copy was.
     */
    private static List<List<ConsumerRecord<byte[], byte[]>>> bySourceRecord(List<ConsumerRecord<byte[], byte[]>> records) {
        Comparator<ConsumerRecord<byte[], byte[]>> written = Comparator
                .<ConsumerRecord<byte[], byte[]>>comparingLong(ConsumerRecord::timestamp)
                .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset);
        Map<String, List<ConsumerRecord<byte[], byte[]>>> bySource = new LinkedHashMap<>();
        records.stream().sorted(written)
                .forEach(record -> bySource.computeIfAbsent(sourceKey(record), key -> new ArrayList<>()).add(record));
        return List.copyOf(bySource.values());
    }

    /** The source record's coordinates; a dead letter that does not name them is a group of its own. */
    private static String sourceKey(ConsumerRecord<?, ?> record) {
        String topic = header(record, DeadLetterHeaders.SOURCE_TOPIC);
        String partition = header(record, DeadLetterHeaders.SOURCE_PARTITION);
        String offset = header(record, DeadLetterHeaders.SOURCE_OFFSET);
        return topic == null || partition == null || offset == null
                ? "dead letter " + record.topic() + "-" + record.partition() + "@" + record.offset()
                : topic + "-" + partition + "@" + offset;
    }

    private static String source(ConsumerRecord<?, ?> record) {
        return header(record, DeadLetterHeaders.SOURCE_TOPIC) == null ? "an unknown source" : sourceKey(record);
    }

    private static String group(ConsumerRecord<?, ?> record) {
        String group = header(record, DeadLetterHeaders.CONSUMER_GROUP);
        return group == null ? "(unknown group)" : group;
    }

    private static String groups(List<ConsumerRecord<byte[], byte[]>> copies) {
        return copies.stream().map(DeadLetterCommand::group).collect(Collectors.joining(", "));
    }

    private static boolean sameRecord(ConsumerRecord<?, ?> a, ConsumerRecord<?, ?> b) {
        return a.topic().equals(b.topic()) && a.partition() == b.partition() && a.offset() == b.offset();
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
            TopicEnd.readToEnd(consumer, partitions, READ_TIMEOUT, records::add);
        }
        return records;
    }

    private void commitRedriven(String topic, List<ConsumerRecord<byte[], byte[]>> records) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(redriveGroup(topic))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                offsets.merge(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1),
                        (a, b) -> a.offset() >= b.offset() ? a : b);
            }
            consumer.commitSync(offsets);
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(null)) {
            return TopicEnd.readAll(consumer, topic, READ_TIMEOUT);
        }
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

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return TopicEnd.partitions(consumer, topic, Duration.ofSeconds(30));
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group) {
        Map<String, Object> config = group == null
                ? environment.kafka().readerConfig("payledger-ops.dead-letters", 500)
                : environment.kafka().consumerConfig(group, 500);
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
