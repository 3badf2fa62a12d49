package io.payledger.platform.messaging;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The poison of one polled batch, dead-lettered once the batch is applied: after the database commit, so a
 * batch the database makes us retry does not dead-letter its poison once per attempt; before the offsets
 * commit, so no poison is lost. Confined to the listener thread handling the batch.
 */
public final class DeadLetterBatch {

    private record Poison(ConsumerRecord<byte[], byte[]> record, Exception error) {
    }

    private final DeadLetterPublisher deadLetters;
    private final List<Poison> poison = new ArrayList<>();

    public DeadLetterBatch(DeadLetterPublisher deadLetters) {
        this.deadLetters = deadLetters;
    }

    public void add(ConsumerRecord<byte[], byte[]> record, Exception error) {
        poison.add(new Poison(record, error));
    }

    /** Dead-letters every record added, in the order added. */
    public void publish() {
        poison.forEach(p -> deadLetters.publish(p.record(), p.error()));
        poison.clear();
    }
}
