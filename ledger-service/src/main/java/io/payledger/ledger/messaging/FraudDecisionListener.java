package io.payledger.ledger.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.ledger.domain.AppliedBatch;
import io.payledger.ledger.domain.DeclineReason;
import io.payledger.ledger.domain.LedgerTransaction;
import io.payledger.ledger.domain.PaymentInstruction;
import io.payledger.ledger.domain.PaymentPoster;
import io.payledger.platform.messaging.DeadLetterBatch;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.PoisonRecordException;
import io.payledger.platform.messaging.RecordLogContext;
import io.payledger.platform.messaging.TopicReader;
import io.payledger.platform.rules.PaymentRules;
import io.payledger.platform.rules.ProducerText;
import io.payledger.platform.tracing.RecordTracing;
import io.payledger.platform.tracing.TracedBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Transport adapter for {@code payments.fraud-decisions}: decodes a polled batch, dead-letters what
 * cannot be decoded or names no payment, and hands the approved payments, in partition order, to the
 * poster as one unit ({@link IsolatingPoster} keeps a record that fails from holding the others).
 * Offsets are committed by the container only after this returns, that is after the database commit;
 * a crash in between redelivers the batch and the poster skips what it already applied.
 */
public final class FraudDecisionListener {

    private static final Logger log = LoggerFactory.getLogger(FraudDecisionListener.class);

    private final TopicReader<FraudDecision> decisions;
    private final DeadLetterPublisher deadLetters;
    private final IsolatingPoster poster;
    private final Timer applyTime;
    private final Counter posted;
    private final Counter declined;
    private final Counter duplicates;
    private final RecordTracing tracing;

    public FraudDecisionListener(TopicReader<FraudDecision> decisions, DeadLetterPublisher deadLetters,
                                 PaymentPoster poster, MeterRegistry meters, RecordTracing tracing) {
        this.decisions = decisions;
        this.tracing = tracing;
        this.deadLetters = deadLetters;
        this.poster = new IsolatingPoster(poster, deadLetters, meters);
        this.applyTime = Timer.builder("ledger.batch.apply")
                .description("Applying one polled batch to the books, retries included")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .register(meters);
        this.posted = payments(meters, "posted");
        this.declined = payments(meters, "declined");
        this.duplicates = payments(meters, "duplicate");
    }

    private static Counter payments(MeterRegistry meters, String outcome) {
        return Counter.builder("ledger.payments").description("Approved payments the ledger has seen, by outcome")
                .tag("outcome", outcome).register(meters);
    }

    public void onBatch(List<ConsumerRecord<byte[], byte[]>> records) {
        try (TracedBatch traced = tracing.batch("apply payment", records)) {
            apply(records, traced);
        }
    }

    private void apply(List<ConsumerRecord<byte[], byte[]>> records, TracedBatch traced) {
        List<IsolatingPoster.Approved> approved = new ArrayList<>(records.size());
        DeadLetterBatch poison = new DeadLetterBatch(deadLetters);
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            try {
                FraudDecision decision = decisions.value(record);
                if (decision.getVerdict() == FraudVerdict.APPROVED) {
                    String traceParent = traced.contextOf(i).get(RecordTracing.TRACEPARENT);
                    approved.add(new IsolatingPoster.Approved(record, instruction(decision, record, traceParent)));
                }
            } catch (PoisonRecordException e) {
                poison.add(record, e);
            }
        }
        long started = System.nanoTime();
        AppliedBatch applied = poster.post(approved);
        applyTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        poison.publish();
        posted.increment(applied.postedCount());
        declined.increment(applied.declinedCount());
        duplicates.increment(applied.alreadyApplied());
        logOutcomes(applied);
    }

    /**
     * The approved payment as an instruction, its fields as the record carried them: whether they obey
     * the rules is for the posting engine to judge, which declines them if not. Only what gives the
     * payment no identity to decline it by is poison: a payment ID that is no UUID, or a decision about
     * another payment than the one it carries.
     */
    private static PaymentInstruction instruction(FraudDecision decision, ConsumerRecord<byte[], byte[]> record,
                                                  String traceParent) {
        PaymentInitiated payment = decision.getPayment();
        UUID transactionId = PaymentRules.paymentId(payment.getPaymentId()).orElseThrow(() ->
                new PoisonRecordException("payment ID " + ProducerText.quote(payment.getPaymentId()) + " is not "
                        + PaymentRules.idRule()));
        if (!payment.getPaymentId().equals(decision.getPaymentId())) {
            throw new PoisonRecordException("the decision about payment " + ProducerText.quote(decision.getPaymentId())
                    + " carries payment " + transactionId);
        }
        String traceId = RecordLogContext.traceId(record.headers());
        return new PaymentInstruction(transactionId, payment.getSourceAccountId(), payment.getDestinationAccountId(),
                payment.getAmountMinor(), payment.getCurrency(), payment.getReference(), traceId, traceParent);
    }

    private static void logOutcomes(AppliedBatch applied) {
        for (LedgerTransaction tx : applied.transactions()) {
            try (MDC.MDCCloseable paymentId = MDC.putCloseable(RecordLogContext.PAYMENT_ID, tx.transactionId().toString());
                 MDC.MDCCloseable traceId = MDC.putCloseable(RecordLogContext.TRACE_ID, tx.payment().traceId())) {
                if (tx.isPosted()) {
                    log.debug("Posted {} {} from {} to {}", tx.payment().amountMinor(), tx.payment().currency(),
                            tx.payment().sourceAccountId(), tx.payment().destinationAccountId());
                } else if (tx.declineReason().orElseThrow() == DeclineReason.INVALID_INSTRUCTION) {
                    log.warn("Declined {}: {}", DeclineReason.INVALID_INSTRUCTION,
                            tx.payment().violation().map(PaymentRules.Violation::message).orElse("?"));
                } else {
                    log.info("Declined: {}", tx.declineReason().orElseThrow());
                }
            }
        }
    }
}
