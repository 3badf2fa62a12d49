package io.payledger.payment.messaging;

import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.payment.domain.PaymentStatus;
import io.payledger.payment.domain.PaymentStore;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.PoisonRecordException;
import io.payledger.platform.messaging.RecordLogContext;
import io.payledger.platform.messaging.TopicReader;
import io.payledger.platform.rules.PaymentRules;
import io.payledger.platform.rules.ProducerText;
import io.payledger.schemas.topic.Topics;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
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

    private final TopicReader<FraudDecision> fraudDecisions;
    private final TopicReader<SpecificRecord> ledgerOutcomes;
    private final DeadLetterPublisher deadLetters;
    private final PaymentStore payments;

    public PaymentOutcomeListener(TopicReader<FraudDecision> fraudDecisions,
                                  TopicReader<SpecificRecord> ledgerOutcomes,
                                  DeadLetterPublisher deadLetters, PaymentStore payments) {
        this.fraudDecisions = fraudDecisions;
        this.ledgerOutcomes = ledgerOutcomes;
        this.deadLetters = deadLetters;
        this.payments = payments;
    }

    public void onRecord(ConsumerRecord<byte[], byte[]> record) {
        try (RecordLogContext ignored = RecordLogContext.of(record.headers())) {
            if (record.topic().equals(Topics.FRAUD_DECISIONS.name())) {
                onFraudDecision(fraudDecisions.value(record));
            } else {
                onLedgerOutcome(ledgerOutcomes.value(record));
            }
        } catch (PoisonRecordException e) {
            deadLetters.publish(record, e);
        }
    }

    private void onFraudDecision(FraudDecision decision) {
        if (decision.getVerdict() == FraudVerdict.REJECTED) {
            settle(decision.getPaymentId(), PaymentStatus.REJECTED, decision.getReasons());
        }
    }

    private void onLedgerOutcome(SpecificRecord outcome) {
        if (outcome instanceof TransactionPosted posted) {
            settle(posted.getPaymentId(), PaymentStatus.POSTED, List.of());
        } else if (outcome instanceof TransactionDeclined declined) {
            settle(declined.getPaymentId(), PaymentStatus.DECLINED, List.of(declined.getReason()));
        } else {
            throw new PoisonRecordException("unexpected record type " + outcome.getSchema().getFullName());
        }
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
