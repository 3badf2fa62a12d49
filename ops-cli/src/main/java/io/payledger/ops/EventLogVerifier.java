package io.payledger.ops;

import io.payledger.books.BooksVerifier.Check;
import io.payledger.events.EntryPosted;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Checks what the ledger published, as downstream consumers see it (read_committed): one outcome per
 * transaction on {@code ledger.transactions}, and on {@code ledger.entries} each account's entries
 * once each, in sequence order, from 1 without gaps.
 */
final class EventLogVerifier {

    record Report(List<Check> checks, long outcomes, long entries) {
    }

    private static final int EXAMPLES = 5;

    private final String bootstrapServers;
    private final SerdeSettings serdeSettings;

    EventLogVerifier(String bootstrapServers, SerdeSettings serdeSettings) {
        this.bootstrapServers = bootstrapServers;
        this.serdeSettings = serdeSettings;
    }

    Report verify() {
        Deserializer<SpecificRecord> outcomes = Topics.LEDGER_TRANSACTIONS.valueSerde(serdeSettings).deserializer();
        Map<String, Integer> outcomesByTransaction = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> outcomeRecords = readAll(Topics.LEDGER_TRANSACTIONS.name());
        for (ConsumerRecord<byte[], byte[]> record : outcomeRecords) {
            SpecificRecord outcome = outcomes.deserialize(record.topic(), record.value());
            String transactionId = String.valueOf(outcome.get(outcome.getSchema().getField("transactionId").pos()));
            outcomesByTransaction.merge(transactionId, 1, Integer::sum);
        }
        List<String> duplicates = outcomesByTransaction.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " has " + e.getValue() + " outcomes").toList();

        Deserializer<EntryPosted> entries = Topics.LEDGER_ENTRIES.valueSerde(serdeSettings).deserializer();
        List<ConsumerRecord<byte[], byte[]>> entryRecords = readAll(Topics.LEDGER_ENTRIES.name());
        Map<String, Long> lastSequence = new HashMap<>();
        List<String> outOfOrder = new ArrayList<>();
        long outOfOrderCount = 0;
        for (ConsumerRecord<byte[], byte[]> record : entryRecords) {
            EntryPosted entry = entries.deserialize(record.topic(), record.value());
            long expected = lastSequence.getOrDefault(entry.getAccountId(), 0L) + 1;
            if (entry.getSequence() != expected) {
                outOfOrderCount++;
                if (outOfOrder.size() < EXAMPLES) {
                    outOfOrder.add(entry.getAccountId() + " expected #" + expected + " but got #" + entry.getSequence()
                            + " at " + record.topic() + "-" + record.partition() + "@" + record.offset());
                }
            }
            lastSequence.merge(entry.getAccountId(), entry.getSequence(), Math::max);
        }
        return new Report(List.of(
                new Check("ledger.transactions has one outcome per transaction", duplicates.size(),
                        duplicates.stream().limit(EXAMPLES).toList()),
                new Check("ledger.entries has each account's entries once, in order, without gaps", outOfOrderCount,
                        outOfOrder)),
                outcomeRecords.size(), entryRecords.size());
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
