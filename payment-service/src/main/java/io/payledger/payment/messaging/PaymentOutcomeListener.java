package io.payledger.payment.messaging;

import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.payment.domain.PaymentStatus;
import io.payledger.payment.domain.PaymentStore;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.PoisonRecordException;
import io.payledger.platform.messaging.RecordHandlers;
import io.payledger.platform.messaging.RecordLogContext;
import io.payledger.platform.rules.PaymentRules;
import io.payledger.platform.rules.ProducerText;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Learns each payment's outcome: REJECTED from fraud decisions, POSTED or DECLINED from the ledger.
 * Settling is idempotent (only a PENDING payment moves), so redelivery and replay change nothing.
 */
public final class PaymentOutcomeListener {

    private static final Logger log = LoggerFactory.getLogger(PaymentOutcomeListener.class);

    private final RecordHandlers handlers;
    private final DeadLetterPublisher deadLetters;
    private final PaymentStore payments;

    public PaymentOutcomeListener(SerdeSettings serdeSettings, DeadLetterPublisher deadLetters, PaymentStore payments) {
        this.handlers = new RecordHandlers(serdeSettings)
                .on(Topics.FRAUD_DECISIONS, FraudDecision.class, this::onFraudDecision)
                .on(Topics.LEDGER_TRANSACTIONS, TransactionPosted.class, this::onPosted)
                .on(Topics.LEDGER_TRANSACTIONS, TransactionDeclined.class, this::onDeclined);
        this.deadLetters = deadLetters;
        this.payments = payments;
    }

    public void onRecord(ConsumerRecord<byte[], byte[]> record) {
        try (RecordLogContext ignored = RecordLogContext.of(record.headers())) {
            handlers.dispatch(record);
        } catch (PoisonRecordException e) {
            deadLetters.publish(record, e);
        }
    }

    private void onFraudDecision(FraudDecision decision) {
        if (decision.getVerdict() == FraudVerdict.REJECTED) {
            settle(decision.getPaymentId(), PaymentStatus.REJECTED, decision.getReasons());
        }
    }

    private void onPosted(TransactionPosted posted) {
        settle(posted.getPaymentId(), PaymentStatus.POSTED, List.of());
    }

    private void onDeclined(TransactionDeclined declined) {
        settle(declined.getPaymentId(), PaymentStatus.DECLINED, List.of(declined.getReason()));
    }

    private void settle(String paymentId, PaymentStatus status, List<String> reasons) {
        UUID id = PaymentRules.paymentId(paymentId).orElseThrow(() -> new PoisonRecordException(
                "payment ID " + ProducerText.quote(paymentId) + " is not " + PaymentRules.idRule()));
        PaymentRules.checkReasonCodes(reasons).ifPresent(violation -> {
            throw new PoisonRecordException(violation.message());
        });
        try (MDC.MDCCloseable ignored = MDC.putCloseable(RecordLogContext.PAYMENT_ID, id.toString())) {
            if (payments.settle(id, status, reasons)) {
                log.info("Payment {} {}", status, reasons.isEmpty() ? "" : reasons);
            } else {
                log.debug("Outcome {} ignored: payment unknown here or already final", status);
            }
        }
    }
}
