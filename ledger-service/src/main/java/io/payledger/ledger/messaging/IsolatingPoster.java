package io.payledger.ledger.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.ledger.domain.AppliedBatch;
import io.payledger.ledger.domain.DeclineReason;
import io.payledger.ledger.domain.PaymentInstruction;
import io.payledger.ledger.domain.PaymentPoster;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.TransientFailures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a polled batch of approved payments as one unit and keeps one bad record from holding the
 * rest hostage. A transient failure (database or broker away, serialization conflicts beyond the
 * retries) propagates, and the whole batch stays unacknowledged until it goes through. Any other
 * failure is isolated: the batch is split in halves, each applied on its own, down to the record that
 * fails; that record gets {@value #ATTEMPTS_ALONE} attempts, then goes to the dead-letter topic and is
 * declined {@code UNPROCESSABLE}, so that its payment reaches a final state and the others post.
 *
 * <p>Splitting keeps each account's order: the halves apply one after the other, in partition order.
 * When {@value #MAX_SET_ASIDE_IN_A_ROW} records in a row fail this way with nothing posting in between,
 * the cause is not a record but the system (a bug, a broken database): this stops setting payments
 * aside and holds the partition, loudly, as for a transient failure.
 */
final class IsolatingPoster {

    /** An approved payment and the record it came in, to dead-letter if it cannot be applied. */
    record Approved(ConsumerRecord<byte[], byte[]> record, PaymentInstruction instruction) {
    }

    static final int ATTEMPTS_ALONE = 3;
    static final int MAX_SET_ASIDE_IN_A_ROW = 3;
    private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(100);
    private static final Logger log = LoggerFactory.getLogger(IsolatingPoster.class);

    private final PaymentPoster poster;
    private final DeadLetterPublisher deadLetters;
    private final Counter splits;
    private final AtomicInteger setAsideInARow = new AtomicInteger();

    IsolatingPoster(PaymentPoster poster, DeadLetterPublisher deadLetters, MeterRegistry meters) {
        this.poster = poster;
        this.deadLetters = deadLetters;
        this.splits = Counter.builder("ledger.batch.splits")
                .description("Batches split in halves to isolate a record that fails unexpectedly").register(meters);
    }

    AppliedBatch post(List<Approved> batch) {
        if (batch.isEmpty()) {
            return AppliedBatch.none();
        }
        try {
            return posted(poster.post(batch.stream().map(Approved::instruction).toList()));
        } catch (RuntimeException e) {
            if (TransientFailures.isTransient(e)) {
                throw e;
            }
            if (batch.size() == 1) {
                return applyAlone(batch.get(0), e);
            }
            splits.increment();
            log.warn("A batch of {} payments from {} failed unexpectedly ({}); applying its halves on their own to "
                    + "find the payment that fails", batch.size(), DeadLetterPublisher.coordinates(batch.get(0).record()),
                    e.toString());
            int half = batch.size() / 2;
            AppliedBatch first = post(batch.subList(0, half));
            return first.followedBy(post(batch.subList(half, batch.size())));
        }
    }

    private AppliedBatch posted(AppliedBatch applied) {
        if (!applied.isEmpty()) {
            setAsideInARow.set(0);
        }
        return applied;
    }

    private AppliedBatch applyAlone(Approved payment, RuntimeException firstFailure) {
        RuntimeException failure = firstFailure;
        for (int attempt = 2; attempt <= ATTEMPTS_ALONE; attempt++) {
            log.warn("Payment {} at {} failed on its own, attempt {} of {}", payment.instruction().transactionId(),
                    DeadLetterPublisher.coordinates(payment.record()), attempt - 1, ATTEMPTS_ALONE, failure);
            pause(FIRST_RETRY_DELAY.multipliedBy(1L << (attempt - 2)));
            try {
                return posted(poster.post(List.of(payment.instruction())));
            } catch (RuntimeException e) {
                if (TransientFailures.isTransient(e)) {
                    throw e;
                }
                failure = e;
            }
        }
        return setAside(payment, failure);
    }

    private AppliedBatch setAside(Approved payment, RuntimeException failure) {
        String where = DeadLetterPublisher.coordinates(payment.record());
        if (setAsideInARow.incrementAndGet() > MAX_SET_ASIDE_IN_A_ROW) {
            setAsideInARow.decrementAndGet();
            throw new SystemicFailureException(MAX_SET_ASIDE_IN_A_ROW + " payments in a row failed unexpectedly with "
                    + "nothing posting in between: the cause is not one record; holding " + where + " until it is fixed",
                    failure);
        }
        log.error("Payment {} at {} failed {} times unexpectedly; dead-lettering it and declining it {}",
                payment.instruction().transactionId(), where, ATTEMPTS_ALONE, DeclineReason.UNPROCESSABLE, failure);
        // Dead-lettered first: a crash before the decline commits redelivers the record, which fails
        // again and is dead-lettered again; the other order could lose the dead letter.
        deadLetters.publish(payment.record(), failure);
        return poster.decline(payment.instruction(), DeclineReason.UNPROCESSABLE);
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemicFailureException("interrupted between attempts", e);
        }
    }

    /** Not one bad record but something broken for all: the batch is held, as for a transient failure. */
    static final class SystemicFailureException extends RuntimeException {
        SystemicFailureException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
