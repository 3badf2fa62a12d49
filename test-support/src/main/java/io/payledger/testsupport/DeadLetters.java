package io.payledger.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.schemas.topic.DeadLetterHeaders;
import io.payledger.schemas.topic.Topic;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What every consumer promises about a record it cannot process: the original bytes on
 * {@code <topic>.dlt}, with headers that say where they came from, which consumer gave up on them
 * and why, so an operator can inspect and redrive them.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    /**
     * Waits for {@code value}, dead-lettered by {@code consumerGroup} from {@code source}, and checks its
     * headers: the source topic, and a partition and offset that hold exactly these bytes (and, if that
     * record was redriven, redriven for this group); the error.
     */
    public static ConsumerRecord<byte[], byte[]> awaitDeadLetter(KafkaTestClient kafka, Topic<?, ?> source,
                                                                 byte[] value, String consumerGroup, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.readUntil(source.deadLetterTopic(),
                records -> records.stream().anyMatch(r -> isFrom(r, value, consumerGroup)), timeout);
        ConsumerRecord<byte[], byte[]> record = dead.stream().filter(r -> isFrom(r, value, consumerGroup))
                .findFirst().orElseThrow();

        assertThat(KafkaTestClient.header(record, DeadLetterHeaders.SOURCE_TOPIC)).contains(source.name());
        int partition = Integer.parseInt(KafkaTestClient.header(record, DeadLetterHeaders.SOURCE_PARTITION).orElseThrow());
        long offset = Long.parseLong(KafkaTestClient.header(record, DeadLetterHeaders.SOURCE_OFFSET).orElseThrow());
        ConsumerRecord<byte[], byte[]> original = kafka.readAll(source.name()).stream()
                .filter(r -> r.partition() == partition && r.offset() == offset).findFirst()
                .orElseThrow(() -> new AssertionError("no record at " + source.name() + "-" + partition + "@" + offset));
        assertThat(original.value()).as("the record at %s-%d@%d", source.name(), partition, offset).isEqualTo(value);
        // A group skips what was redriven for another, so it never dead-letters another group's record.
        KafkaTestClient.header(original, DeadLetterHeaders.REDRIVE_TARGET_GROUP).ifPresent(target ->
                assertThat(target).as("the group a redrive of %s-%d@%d was for", source.name(), partition, offset)
                        .isEqualTo(consumerGroup));
        assertThat(KafkaTestClient.header(record, DeadLetterHeaders.ERROR_CLASS)).hasValueSatisfying(
                errorClass -> assertThat(errorClass).isNotBlank());
        assertThat(KafkaTestClient.header(record, DeadLetterHeaders.ERROR_MESSAGE)).hasValueSatisfying(
                message -> assertThat(message).isNotBlank());
        assertThat(KafkaTestClient.header(record, DeadLetterHeaders.FAILED_AT)).isPresent();
        return record;
    }

    private static boolean isFrom(ConsumerRecord<byte[], byte[]> record, byte[] value, String consumerGroup) {
        return Arrays.equals(record.value(), value)
                && KafkaTestClient.header(record, DeadLetterHeaders.CONSUMER_GROUP).filter(consumerGroup::equals).isPresent();
    }
}
