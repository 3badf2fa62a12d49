package io.payledger.platform.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.schemas.topic.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a poison record to {@code <topic>.dlt} as its original bytes, with headers naming where it
 * came from and why it failed. The write is acknowledged before the caller moves on, so a record is
 * never both skipped and missing from its dead-letter topic.
 *
 * <p>A record its topic just takes can be too large for its dead-letter topic once the headers are added
 * (or for this producer's {@code max.request.size}): it never fits, however often it is tried, and held it
 * would stop its partition for good. Such a dead letter goes without the value (and, if still too large,
 * without the key and the original headers too), with {@value DeadLetterHeaders#VALUE_OMITTED} saying what
 * was left out; the original stays on its source topic, at the partition and offset the headers name.
 */
public class DeadLetterPublisher {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);
    private static final int MAX_MESSAGE_LENGTH = 2_000;

    private final Producer<byte[], byte[]> producer;
    private final String consumerGroup;
    private final MeterRegistry meters;

    public DeadLetterPublisher(Producer<byte[], byte[]> producer, String consumerGroup, MeterRegistry meters) {
        this.producer = producer;
        this.consumerGroup = consumerGroup;
        this.meters = meters;
    }

    public static String deadLetterTopicOf(String sourceTopic) {
        return sourceTopic + io.payledger.schemas.topic.Topics.DEAD_LETTER_SUFFIX;
    }

    public void publish(ConsumerRecord<byte[], byte[]> record, Exception error) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        put(headers, DeadLetterHeaders.SOURCE_TOPIC, record.topic());
        put(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(record.partition()));
        put(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(record.offset()));
        put(headers, DeadLetterHeaders.CONSUMER_GROUP, consumerGroup);
        put(headers, DeadLetterHeaders.ERROR_CLASS, rootCause(error).getClass().getName());
        put(headers, DeadLetterHeaders.ERROR_MESSAGE, describe(error));
        put(headers, DeadLetterHeaders.FAILED_AT, Instant.now().toString());

        String deadLetterTopic = deadLetterTopicOf(record.topic());
        if (!send(record, new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers))) {
            RecordHeaders withoutValue = new RecordHeaders(headers.toArray());
            put(withoutValue, DeadLetterHeaders.VALUE_OMITTED, omitted(record, "the value"));
            if (!send(record, new ProducerRecord<>(deadLetterTopic, null, record.key(), null, withoutValue))) {
                RecordHeaders ownOnly = new RecordHeaders();
                for (Header header : headers) {
                    if (header.key().startsWith("dlt.")) {
                        ownOnly.add(header);
                    }
                }
                put(ownOnly, DeadLetterHeaders.VALUE_OMITTED, omitted(record, "the value, the key and the headers"));
                if (!send(record, new ProducerRecord<>(deadLetterTopic, (Integer) null, (byte[]) null, (byte[]) null,
                        ownOnly))) {
                    throw new DeadLetterUnavailableException("could not dead-letter " + coordinates(record)
                            + ": too large even without its value, key and headers", null);
                }
            }
            log.warn("Dead-lettered {} without its value ({} bytes): too large for {} with the dead-letter headers",
                    coordinates(record), record.value() == null ? 0 : record.value().length, deadLetterTopic);
        }
        Counter.builder("payledger.dead.letters")
                .description("Poison records moved to a dead-letter topic")
                .tag("topic", record.topic())
                .register(meters)
                .increment();
        log.warn("Dead-lettered {} to {}: {}", coordinates(record), deadLetterTopic, describe(error));
    }

    /**
     * Sends the dead letter and waits for the acknowledgement: true once written, false if it is too large
     * ever to be written as it is.
     */
    private boolean send(ConsumerRecord<byte[], byte[]> record, ProducerRecord<byte[], byte[]> deadLetter) {
        try {
            producer.send(deadLetter).get(30, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterUnavailableException("interrupted while dead-lettering " + coordinates(record), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException) {
                return false;
            }
            // Not acknowledged: fail the record so it is retried rather than lost.
            throw new DeadLetterUnavailableException("could not dead-letter " + coordinates(record), e);
        } catch (TimeoutException e) {
            throw new DeadLetterUnavailableException("could not dead-letter " + coordinates(record), e);
        }
    }

    private static String omitted(ConsumerRecord<byte[], byte[]> record, String what) {
        return what + " (" + (record.value() == null ? 0 : record.value().length) + " bytes of value): too large to "
                + "dead-letter with these headers; the original is at " + coordinates(record);
    }

    /** Where a record is, as operators name it: {@code topic-partition@offset}. */
    public static String coordinates(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static void put(RecordHeaders headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String describe(Throwable error) {
        StringBuilder message = new StringBuilder();
        for (Throwable t = error; t != null && message.length() < MAX_MESSAGE_LENGTH; t = t.getCause()) {
            if (!message.isEmpty()) {
                message.append(" <- ");
            }
            message.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
            if (t.getCause() == t) {
                break;
            }
        }
        return message.length() > MAX_MESSAGE_LENGTH ? message.substring(0, MAX_MESSAGE_LENGTH) : message.toString();
    }

    private static Throwable rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
