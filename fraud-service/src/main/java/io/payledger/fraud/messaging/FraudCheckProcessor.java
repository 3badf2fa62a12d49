package io.payledger.fraud.messaging;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.fraud.domain.AccountActivity;
import io.payledger.fraud.domain.FraudAssessment;
import io.payledger.fraud.domain.FraudRules;
import io.payledger.fraud.domain.PaymentToCheck;
import io.payledger.platform.messaging.EventIds;
import io.payledger.platform.messaging.RecordLogContext;
import io.payledger.platform.messaging.RedriveTargets;
import io.payledger.platform.tracing.RecordTracing;
import io.payledger.schemas.topic.Topics;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Assesses each initiated payment and emits its decision, keeping each source account's recent
 * activity and each payment's decision in fault-tolerant state stores (the input is keyed by source
 * account, so one task owns an account and every payment from it). Headers such as {@code payment-id}
 * and {@code trace-id} travel on to the decision; a redrive's target group does not, or the decision's
 * readers would skip it.
 *
 * <p>A payment decided before (a replay, a redelivery) gets its first decision again, unchanged, and is
 * not counted toward velocity a second time: a decision once published is never contradicted.
 */
final class FraudCheckProcessor implements FixedKeyProcessor<String, PaymentInitiated, FraudDecision> {

    private static final Logger log = LoggerFactory.getLogger(FraudCheckProcessor.class);

    private final FraudRules rules;
    private final String activityStoreName;
    private final String decisionStoreName;
    private final RecordTracing tracing;
    private FixedKeyProcessorContext<String, FraudDecision> context;
    private KeyValueStore<String, AccountActivity> activities;
    private WindowStore<String, FraudDecision> decisions;

    FraudCheckProcessor(FraudRules rules, String activityStoreName, String decisionStoreName, RecordTracing tracing) {
        this.tracing = tracing;
        this.rules = rules;
        this.activityStoreName = activityStoreName;
        this.decisionStoreName = decisionStoreName;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, FraudDecision> context) {
        this.context = context;
        this.activities = context.getStateStore(activityStoreName);
        this.decisions = context.getStateStore(decisionStoreName);
    }

    @Override
    public void process(FixedKeyRecord<String, PaymentInitiated> received) {
        PaymentInitiated payment = received.value();
        if (payment == null) {
            return;
        }
        FixedKeyRecord<String, PaymentInitiated> record =
                received.withHeaders(RedriveTargets.withoutTarget(received.headers()));
        Span check = tracing.consumed("check payment", Topics.PAYMENTS_INITIATED.name(), record.headers());
        // The decision travels on with this span's context, the child of the payment's.
        tracing.inject(check, record.headers());
        try (Tracer.SpanInScope inScope = tracing.inScope(check);
             RecordLogContext ignored = RecordLogContext.of(record.headers());
             MDC.MDCCloseable paymentId = MDC.putCloseable(RecordLogContext.PAYMENT_ID, payment.getPaymentId())) {
            FraudDecision earlier = earlierDecision(payment.getPaymentId());
            if (earlier != null) {
                if (!earlier.getPayment().equals(payment)) {
                    log.warn("Payment arrived again with different content; keeping its first decision, {}",
                            earlier.getVerdict());
                } else {
                    log.debug("Already decided; re-emitting the same decision, {}", earlier.getVerdict());
                }
                context.forward(record.withValue(earlier));
                return;
            }
            FraudDecision decision = decide(payment);
            decisions.put(payment.getPaymentId(), decision, record.timestamp());
            if (decision.getVerdict() == FraudVerdict.APPROVED) {
                log.debug("Approved");
            } else {
                log.info("Rejected: {}", decision.getReasons());
            }
            context.forward(record.withValue(decision));
        } finally {
            check.end();
        }
    }

    /** The decision already made for this payment, if it is still within the retention. */
    private FraudDecision earlierDecision(String paymentId) {
        // Any timestamp: a payment published twice may carry two; the store itself hides what has expired.
        try (WindowStoreIterator<FraudDecision> found = decisions.fetch(paymentId, 0L, Long.MAX_VALUE)) {
            return found.hasNext() ? found.next().value : null;
        }
    }

    private FraudDecision decide(PaymentInitiated payment) {
        PaymentToCheck check = new PaymentToCheck(payment.getPaymentId(), payment.getSourceAccountId(),
                payment.getDestinationAccountId(), payment.getAmountMinor(), payment.getCurrency(),
                payment.getReference(), payment.getOccurredAt());
        FraudAssessment assessment = rules.refuseInvalid(check).orElseGet(() -> {
            Instant countedAt = FraudRules.countedAt(check.initiatedAt(),
                    Instant.ofEpochMilli(context.currentSystemTimeMs()));
            AccountActivity before = activities.get(check.sourceAccountId());
            AccountActivity after = (before == null ? AccountActivity.NONE : before)
                    .record(countedAt, rules.velocityWindow());
            activities.put(check.sourceAccountId(), after);
            return rules.assess(check, after);
        });
        return FraudDecision.newBuilder()
                .setEventId(decisionEventId(payment.getPaymentId()))
                .setOccurredAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .setPaymentId(payment.getPaymentId())
                .setVerdict(assessment.approved() ? FraudVerdict.APPROVED : FraudVerdict.REJECTED)
                .setReasons(assessment.reasons())
                .setPayment(payment)
                .build();
    }

    /** One decision per payment: the same payment always yields the same decision event ID. */
    private static String decisionEventId(String paymentId) {
        return EventIds.of("fraud-decision", paymentId);
    }
}
