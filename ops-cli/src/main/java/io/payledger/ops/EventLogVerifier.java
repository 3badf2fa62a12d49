package io.payledger.ops;

import io.payledger.books.BooksVerifier.Check;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.events.EntryPosted;
import io.payledger.schemas.serde.SchemaRegistryUnavailableException;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.TopicEnd;
import io.payledger.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Checks what the ledger published, as downstream consumers see it (read_committed): one outcome per
 * transaction on {@code ledger.transactions}, and on {@code ledger.entries} each account's entries
 * once each, in sequence order, from 1 without gaps.
 *
 * <p>A record on either topic that does not decode is no event of the ledger's: as every consumer does
 * (it dead-letters it and goes on), this leaves it out of the checks, and reports where it is.
 */
final class EventLogVerifier {

    /** @param undecodable where the records that do not decode are, at most a few of them */
    record Report(List<Check> checks, long outcomes, long entries, long undecodableCount, List<String> undecodable) {
    }

    private static final int EXAMPLES = 5;
    /** Long enough for a large topic; a read that stops short fails rather than verifying part of the log. */
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(10);

    private final KafkaSettings kafka;
    private final SerdeSettings serdeSettings;

    EventLogVerifier(KafkaSettings kafka) {
        this.kafka = kafka;
        this.serdeSettings = kafka.serdeSettings();
    }

    Report verify() {
        Deserializer<SpecificRecord> outcomes = Topics.LEDGER_TRANSACTIONS.valueSerde(serdeSettings).deserializer();
        Map<String, Integer> outcomesByTransaction = new HashMap<>();
        List<String> undecodable = new ArrayList<>();
        long undecodableCount = 0;
        long outcomeCount = 0;
        List<ConsumerRecord<byte[], byte[]>> outcomeRecords = readAll(Topics.LEDGER_TRANSACTIONS.name());
        for (ConsumerRecord<byte[], byte[]> record : outcomeRecords) {
            SpecificRecord outcome = decode(outcomes, record, undecodable);
            if (outcome == null) {
                undecodableCount++;
                continue;
            }
            outcomeCount++;
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
        long entryCount = 0;
        for (ConsumerRecord<byte[], byte[]> record : entryRecords) {
            EntryPosted entry = decode(entries, record, undecodable);
            if (entry == null) {
                undecodableCount++;
                continue;
            }
            entryCount++;
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
                outcomeCount, entryCount, undecodableCount, undecodable);
    }

    /** The record's value, or null (its place noted, for the first few) if it does not decode. */
    private static <V> V decode(Deserializer<V> values, ConsumerRecord<byte[], byte[]> record, List<String> undecodable) {
        try {
            if (record.value() != null) {
                return values.deserialize(record.topic(), record.headers(), record.value());
            }
        } catch (SchemaRegistryUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            // not the ledger's event: noted below
        }
        if (undecodable.size() < EXAMPLES) {
            undecodable.add(record.topic() + "-" + record.partition() + "@" + record.offset());
        }
        return null;
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Map<String, Object> config = kafka.readerConfig("payledger-ops.verify", 5_000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            return TopicEnd.readAll(consumer, topic, READ_TIMEOUT);
        }
    }
}
