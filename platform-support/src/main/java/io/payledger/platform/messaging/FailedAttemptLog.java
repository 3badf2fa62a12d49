package io.payledger.platform.messaging;

import io.micrometer.core.instrument.Counter;
import io.payledger.platform.rules.ProducerText;
import io.payledger.schemas.topic.TraceHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.RetryListener;

/**
 * Makes every failed attempt of a listener visible: counted per topic, logged at WARN the first time a
 * position fails and at ERROR each time it fails again, with the records' coordinates and payment IDs.
 */
final class FailedAttemptLog implements RetryListener {

    private static final Logger log = LoggerFactory.getLogger(FailedAttemptLog.class);
    /** A batch's log line names at most this many of its records. */
    private static final int MAX_NAMED = 5;

    private final String consumerGroup;
    private final Function<String, Counter> failedAttempts;
    /** The position each listener thread last failed at: a failure there again is a repeat. */
    private final Map<Thread, String> lastFailedAt = new ConcurrentHashMap<>();

    FailedAttemptLog(String consumerGroup, Function<String, Counter> failedAttempts) {
        this.consumerGroup = consumerGroup;
        this.failedAttempts = failedAttempts;
    }

    @Override
    public void failedDelivery(ConsumerRecord<?, ?> record, Exception error, int deliveryAttempt) {
        failedAttempts.apply(record.topic()).increment();
        report(DeadLetterPublisher.coordinates(record), describe(record), deliveryAttempt, error);
    }

    @Override
    public void failedDelivery(ConsumerRecords<?, ?> records, Exception error, int deliveryAttempt) {
        List<String> named = new ArrayList<>();
        String position = null;
        for (TopicPartition partition : records.partitions()) {
            List<? extends ConsumerRecord<?, ?>> held = records.records(partition);
            failedAttempts.apply(partition.topic()).increment();
            if (position == null && !held.isEmpty()) {
                position = DeadLetterPublisher.coordinates(held.get(0));
            }
            for (ConsumerRecord<?, ?> record : held) {
                if (named.size() < MAX_NAMED) {
                    named.add(describe(record));
                }
            }
        }
        String summary = records.count() + " records of " + records.partitions() + ", first "
                + String.join(", ", named) + (records.count() > named.size() ? ", ..." : "");
        report(position, summary, deliveryAttempt, error);
    }

    @Override
    public void recovered(ConsumerRecord<?, ?> record, Exception error) {
        lastFailedAt.remove(Thread.currentThread());
    }

    private void report(String position, String what, int deliveryAttempt, Exception error) {
        String previous = lastFailedAt.put(Thread.currentThread(), String.valueOf(position));
        if (position != null && position.equals(previous)) {
            log.error("Consumer group {} still cannot process {} (delivery attempt {}); the partition waits: {}",
                    consumerGroup, what, deliveryAttempt, error.toString(), error);
        } else {
            log.warn("Consumer group {} failed to process {} (delivery attempt {}); retrying with back-off: {}",
                    consumerGroup, what, deliveryAttempt, error.toString(), error);
        }
    }

    private static String describe(ConsumerRecord<?, ?> record) {
        String paymentId = RecordLogContext.header(record.headers(), TraceHeaders.PAYMENT_ID);
        return DeadLetterPublisher.coordinates(record) + " (payment " + (paymentId == null ? "unknown"
                : ProducerText.quote(paymentId)) + ")";
    }
}
