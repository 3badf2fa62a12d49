package io.payledger.notification.messaging;

import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.notification.domain.NotificationKind;
import io.payledger.notification.domain.Notifier;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.PoisonRecordException;
import io.payledger.platform.messaging.RecordLogContext;
import io.payledger.platform.messaging.TopicReader;
import io.payledger.platform.money.Money;
import io.payledger.schemas.topic.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Transport adapter for the three topics a customer hears about: acceptance, fraud rejection and the
 * ledger's outcome. Undecodable records go to their dead-letter topic.
 */
public final class PaymentEventListener {

    private final TopicReader<PaymentInitiated> initiated;
    private final TopicReader<FraudDecision> fraudDecisions;
    private final TopicReader<SpecificRecord> ledgerOutcomes;
    private final DeadLetterPublisher deadLetters;
    private final Notifier notifier;

    public PaymentEventListener(TopicReader<PaymentInitiated> initiated, TopicReader<FraudDecision> fraudDecisions,
                                TopicReader<SpecificRecord> ledgerOutcomes, DeadLetterPublisher deadLetters,
                                Notifier notifier) {
        this.initiated = initiated;
        this.fraudDecisions = fraudDecisions;
        this.ledgerOutcomes = ledgerOutcomes;
        this.deadLetters = deadLetters;
        this.notifier = notifier;
    }

    public void onRecord(ConsumerRecord<byte[], byte[]> record) {
        try (RecordLogContext ignored = RecordLogContext.of(record.headers())) {
            String topic = record.topic();
            if (topic.equals(Topics.PAYMENTS_INITIATED.name())) {
                onInitiated(initiated.value(record));
            } else if (topic.equals(Topics.FRAUD_DECISIONS.name())) {
                onFraudDecision(fraudDecisions.value(record));
            } else {
                onLedgerOutcome(ledgerOutcomes.value(record));
            }
        } catch (PoisonRecordException e) {
            deadLetters.publish(record, e);
        }
    }

    private void onInitiated(PaymentInitiated event) {
        notifier.notify(event.getPaymentId(), NotificationKind.PAYMENT_ACCEPTED, event.getSourceAccountId(),
                "Your payment of " + money(event.getAmountMinor(), event.getCurrency()) + " to "
                        + event.getDestinationAccountId() + " is being processed.", event.getEventId());
    }

    private void onFraudDecision(FraudDecision decision) {
        if (decision.getVerdict() != FraudVerdict.REJECTED) {
            return;
        }
        PaymentInitiated payment = decision.getPayment();
        notifier.notify(decision.getPaymentId(), NotificationKind.PAYMENT_REJECTED, payment.getSourceAccountId(),
                "Your payment of " + money(payment.getAmountMinor(), payment.getCurrency()) + " to "
                        + payment.getDestinationAccountId() + " was stopped by our checks "
                        + decision.getReasons() + ".", decision.getEventId());
    }

    private void onLedgerOutcome(SpecificRecord outcome) {
        if (outcome instanceof TransactionPosted posted) {
            notifier.notify(posted.getPaymentId(), NotificationKind.PAYMENT_POSTED, posted.getSourceAccountId(),
                    "Your payment of " + money(posted.getAmountMinor(), posted.getCurrency()) + " to "
                            + posted.getDestinationAccountId() + " is complete.", posted.getEventId());
        } else if (outcome instanceof TransactionDeclined declined) {
            notifier.notify(declined.getPaymentId(), NotificationKind.PAYMENT_DECLINED, declined.getSourceAccountId(),
                    "Your payment of " + money(declined.getAmountMinor(), declined.getCurrency()) + " to "
                            + declined.getDestinationAccountId() + " was declined: " + declined.getReason() + ".",
                    declined.getEventId());
        } else {
            throw new PoisonRecordException("unexpected record type " + outcome.getSchema().getFullName());
        }
    }

    private static String money(long amountMinor, String currency) {
        try {
            return new Money(amountMinor, currency).toString();
        } catch (IllegalArgumentException e) {
            return amountMinor + " (minor units) " + currency;
        }
    }
}
