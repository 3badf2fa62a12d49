package io.payledger.payment.messaging;

import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.payment.domain.PaymentStatus;
import io.payledger.payment.domain.PaymentStore;
import io.payledger.payment.domain.Settlement;
import io.payledger.platform.messaging.DeadLetterBatch;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.PoisonRecordException;
import io.payledger.platform.messaging.RecordTranslator;
import io.payledger.platform.messaging.RecordLogContext;
import io.payledger.platform.rules.PaymentRules;
import io.payledger.platform.rules.ProducerText;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Learns each payment's outcome: REJECTED from fraud decisions, POSTED or DECLINED from the ledger. A polled
 * batch is translated record by record (poison is dead-lettered) and settled as one unit, one transaction per
 * poll. Settling is idempotent (only a PENDING payment moves), so redelivery and replay change nothing.
 */
public final class PaymentOutcomeListener {

    private static final Logger log = LoggerFactory.getLogger(PaymentOutcomeListener.class);

    private final RecordTranslator<Settlement> settlements;
    private final DeadLetterPublisher deadLetters;
    private final PaymentStore payments;

    public PaymentOutcomeListener(SerdeSettings serdeSettings, DeadLetterPublisher deadLetters, PaymentStore payments) {
        this.settlements = new RecordTranslator<Settlement>(serdeSettings)
                .on(Topics.FRAUD_DECISIONS, FraudDecision.class, PaymentOutcomeListener::onFraudDecision)
                .on(Topics.LEDGER_TRANSACTIONS, TransactionPosted.class, PaymentOutcomeListener::onPosted)
                .on(Topics.LEDGER_TRANSACTIONS, TransactionDeclined.class, PaymentOutcomeListener::onDeclined);
        this.deadLetters = deadLetters;
        this.payments = payments;
    }

    public void onBatch(List<ConsumerRecord<byte[], byte[]>> records) {
        List<Settlement> outcomes = new ArrayList<>(records.size());
        DeadLetterBatch poison = new DeadLetterBatch(deadLetters);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try (RecordLogContext ignored = RecordLogContext.of(record.headers())) {
                Settlement settlement = settlements.translate(record);
                if (settlement != null) {
                    outcomes.add(settlement);
                }
            } catch (PoisonRecordException e) {
                poison.add(record, e);
            }
        }
        List<Settlement> settled = payments.settle(outcomes);
        poison.publish();
        for (Settlement settlement : settled) {
            try (MDC.MDCCloseable ignored = MDC.putCloseable(RecordLogContext.PAYMENT_ID,
                    settlement.paymentId().toString())) {
                log.info("Payment {} {}", settlement.status(),
                        settlement.reasons().isEmpty() ? "" : settlement.reasons());
            }
        }
        if (settled.size() < outcomes.size()) {
            log.debug("{} outcomes ignored: payment unknown here or already final", outcomes.size() - settled.size());
        }
    }

    private static Settlement onFraudDecision(FraudDecision decision) {
        return decision.getVerdict() == FraudVerdict.REJECTED
                ? settlement(decision.getPaymentId(), PaymentStatus.REJECTED, decision.getReasons())
                : null;
    }

    private static Settlement onPosted(TransactionPosted posted) {
        return settlement(posted.getPaymentId(), PaymentStatus.POSTED, List.of());
    }

    private static Settlement onDeclined(TransactionDeclined declined) {
        return settlement(declined.getPaymentId(), PaymentStatus.DECLINED, List.of(declined.getReason()));
    }

    private static Settlement settlement(String paymentId, PaymentStatus status, List<String> reasons) {
        UUID id = PaymentRules.paymentId(paymentId).orElseThrow(() -> new PoisonRecordException(
                "payment ID " + ProducerText.quote(paymentId) + " is not " + PaymentRules.idRule()));
        PaymentRules.checkReasonCodes(reasons).ifPresent(violation -> {
            throw new PoisonRecordException(violation.message());
        });
        return new Settlement(id, status, reasons);
    }
}
