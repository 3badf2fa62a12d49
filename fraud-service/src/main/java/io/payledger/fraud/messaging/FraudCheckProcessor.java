package io.payledger.fraud.messaging;

import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.fraud.domain.AccountActivity;
import io.payledger.fraud.domain.FraudAssessment;
import io.payledger.fraud.domain.FraudRules;
import io.payledger.fraud.domain.PaymentToCheck;
import io.payledger.platform.messaging.RecordLogContext;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Assesses each initiated payment and emits its decision, keeping each source account's recent
 * activity in a fault-tolerant state store (the input is keyed by source account, so one task owns an
 * account). Headers such as {@code payment-id} and {@code trace-id} travel on to the decision.
 */
final class FraudCheckProcessor implements FixedKeyProcessor<String, PaymentInitiated, FraudDecision> {

    private static final Logger log = LoggerFactory.getLogger(FraudCheckProcessor.class);

    private final FraudRules rules;
    private final String storeName;
    private FixedKeyProcessorContext<String, FraudDecision> context;
    private KeyValueStore<String, AccountActivity> activities;

    FraudCheckProcessor(FraudRules rules, String storeName) {
        this.rules = rules;
        this.storeName = storeName;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, FraudDecision> context) {
        this.context = context;
        this.activities = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, PaymentInitiated> record) {
        PaymentInitiated payment = record.value();
        if (payment == null) {
            return;
        }
        PaymentToCheck check = new PaymentToCheck(payment.getPaymentId(), payment.getSourceAccountId(),
                payment.getDestinationAccountId(), payment.getAmountMinor(), payment.getCurrency(),
                payment.getOccurredAt());
        AccountActivity before = activities.get(payment.getSourceAccountId());
        AccountActivity after = (before == null ? AccountActivity.NONE : before)
                .record(payment.getOccurredAt(), rules.velocityWindow());
        activities.put(payment.getSourceAccountId(), after);
        FraudAssessment assessment = rules.assess(check, after);

        FraudDecision decision = FraudDecision.newBuilder()
                .setEventId(decisionEventId(payment.getPaymentId()))
                .setOccurredAt(java.time.Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .setPaymentId(payment.getPaymentId())
                .setVerdict(assessment.approved() ? FraudVerdict.APPROVED : FraudVerdict.REJECTED)
                .setReasons(assessment.reasons())
                .setPayment(payment)
                .build();
        try (RecordLogContext ignored = RecordLogContext.of(record.headers());
             MDC.MDCCloseable paymentId = MDC.putCloseable(RecordLogContext.PAYMENT_ID, payment.getPaymentId())) {
            if (assessment.approved()) {
                log.debug("Approved");
            } else {
                log.info("Rejected: {}", assessment.reasons());
            }
        }
        context.forward(record.withValue(decision));
    }

    /** One decision per payment: the same payment always yields the same decision event ID. */
    private static String decisionEventId(String paymentId) {
        return UUID.nameUUIDFromBytes(("fraud-decision:" + paymentId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
