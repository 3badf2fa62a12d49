package io.payledger.notification.messaging;

import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.notification.domain.Notice;
import io.payledger.notification.domain.NotificationKind;
import io.payledger.notification.domain.Notifier;
import io.payledger.platform.messaging.DeadLetterBatch;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.PoisonRecordException;
import io.payledger.platform.messaging.RecordTranslator;
import io.payledger.platform.messaging.RecordLogContext;
import io.payledger.platform.money.Money;
import io.payledger.platform.rules.PaymentRules;
import io.payledger.platform.rules.ProducerText;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transport adapter for the three topics a customer hears about: acceptance, fraud rejection and the
 * ledger's outcome, told to the payer (source account); a posting is also told to the payee (destination
 * account). A polled batch is translated record by record into notices (poison goes to its dead-letter
 * topic) and notified as one unit: one transaction records them all.
 */
public final class PaymentEventListener {

    private static final Logger log = LoggerFactory.getLogger(PaymentEventListener.class);
    private static final int MAX_CLIENT_ID_LENGTH = 255;

    private final RecordTranslator<List<Notice>> notices;
    private final DeadLetterPublisher deadLetters;
    private final Notifier notifier;

    public PaymentEventListener(SerdeSettings serdeSettings, DeadLetterPublisher deadLetters, Notifier notifier) {
        this.notices = new RecordTranslator<List<Notice>>(serdeSettings)
                .on(Topics.PAYMENTS_INITIATED, PaymentInitiated.class, PaymentEventListener::onInitiated)
                .on(Topics.FRAUD_DECISIONS, FraudDecision.class, PaymentEventListener::onFraudDecision)
                .on(Topics.LEDGER_TRANSACTIONS, TransactionPosted.class, PaymentEventListener::onPosted)
                .on(Topics.LEDGER_TRANSACTIONS, TransactionDeclined.class, PaymentEventListener::onDeclined);
        this.deadLetters = deadLetters;
        this.notifier = notifier;
    }

    public void onBatch(List<ConsumerRecord<byte[], byte[]>> records) {
        List<Notice> batch = new ArrayList<>(records.size() * 2);
        DeadLetterBatch poison = new DeadLetterBatch(deadLetters);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try (RecordLogContext ignored = RecordLogContext.of(record.headers())) {
                batch.addAll(notices.translate(record));
            } catch (PoisonRecordException e) {
                poison.add(record, e);
            }
        }
        notifier.notify(batch);
        poison.publish();
    }

    private static List<Notice> onInitiated(PaymentInitiated event) {
        requireValid(event.getEventId(), event.getPaymentId(), event.getSourceAccountId(),
                event.getDestinationAccountId(), event.getAmountMinor(), event.getCurrency(), List.of());
        return List.of(Notice.acceptance(event.getPaymentId(), owner(event), event.getSourceAccountId(),
                "Your payment of " + money(event.getAmountMinor(), event.getCurrency()) + " to "
                        + event.getDestinationAccountId() + " is being processed.", event.getEventId()));
    }

    /**
     * The client the payment belongs to, as payment-service recorded it. Null in events from before
     * payments had owners; null too, so that only operators read its notifications, when it is nothing a
     * client ID can be (blank, control characters, over {@value #MAX_CLIENT_ID_LENGTH} characters): the
     * payment is still notified.
     */
    private static String owner(PaymentInitiated event) {
        String initiatedBy = event.getInitiatedBy();
        if (initiatedBy == null) {
            return null;
        }
        if (initiatedBy.isBlank() || initiatedBy.length() > MAX_CLIENT_ID_LENGTH
                || !ProducerText.isPrintable(initiatedBy)) {
            log.warn("Payment {} names no usable client as its owner ({}): only operators will read its "
                    + "notifications", event.getPaymentId(), ProducerText.quote(initiatedBy));
            return null;
        }
        return initiatedBy;
    }

    /** A decision is about a payment: its ID is checked whatever the verdict, though only a rejection is told. */
    private static List<Notice> onFraudDecision(FraudDecision decision) {
        if (PaymentRules.paymentId(decision.getPaymentId()).isEmpty()) {
            throw new PoisonRecordException("payment ID " + ProducerText.quote(decision.getPaymentId()) + " is not "
                    + PaymentRules.idRule());
        }
        if (decision.getVerdict() != FraudVerdict.REJECTED) {
            return List.of();
        }
        PaymentInitiated payment = decision.getPayment();
        requireValid(decision.getEventId(), decision.getPaymentId(), payment.getSourceAccountId(),
                payment.getDestinationAccountId(), payment.getAmountMinor(), payment.getCurrency(),
                decision.getReasons());
        return List.of(Notice.of(decision.getPaymentId(), NotificationKind.PAYMENT_REJECTED,
                payment.getSourceAccountId(), "Your payment of " + money(payment.getAmountMinor(), payment.getCurrency())
                        + " to " + payment.getDestinationAccountId() + " was stopped by our checks "
                        + decision.getReasons() + ".", decision.getEventId()));
    }

    private static List<Notice> onPosted(TransactionPosted posted) {
        requireValid(posted.getEventId(), posted.getPaymentId(), posted.getSourceAccountId(),
                posted.getDestinationAccountId(), posted.getAmountMinor(), posted.getCurrency(), List.of());
        // The payee hears only of money that arrived: on posting, never on acceptance, rejection or decline.
        return List.of(
                Notice.of(posted.getPaymentId(), NotificationKind.PAYMENT_POSTED, posted.getSourceAccountId(),
                        "Your payment of " + money(posted.getAmountMinor(), posted.getCurrency()) + " to "
                                + posted.getDestinationAccountId() + " is complete.", posted.getEventId()),
                Notice.of(posted.getPaymentId(), NotificationKind.PAYMENT_RECEIVED, posted.getDestinationAccountId(),
                        "You received " + money(posted.getAmountMinor(), posted.getCurrency()) + " from "
                                + posted.getSourceAccountId() + ".", posted.getEventId()));
    }

    private static List<Notice> onDeclined(TransactionDeclined declined) {
        requireValid(declined.getEventId(), declined.getPaymentId(), declined.getSourceAccountId(),
                declined.getDestinationAccountId(), declined.getAmountMinor(), declined.getCurrency(),
                List.of(declined.getReason()));
        return List.of(Notice.of(declined.getPaymentId(), NotificationKind.PAYMENT_DECLINED,
                declined.getSourceAccountId(), "Your payment of " + money(declined.getAmountMinor(),
                        declined.getCurrency()) + " to " + declined.getDestinationAccountId() + " was declined: "
                        + declined.getReason() + ".", declined.getEventId()));
    }

    /**
     * A notification is about a payment that obeys the platform's rules, addressed to a valid account; an
     * event that breaks them (written by someone outside the platform, or the ledger's decline of such a
     * payment) is not notified but dead-lettered for an operator to see.
     */
    private static void requireValid(String eventId, String paymentId, String sourceAccountId,
                                     String destinationAccountId, long amountMinor, String currency,
                                     List<String> reasons) {
        Optional<PaymentRules.Violation> violation = PaymentRules.checkEventId(eventId)
                .or(() -> PaymentRules.paymentId(paymentId).isPresent() ? Optional.empty()
                        : Optional.of(new PaymentRules.Violation(PaymentRules.Defect.INVALID_ID, "payment ID "
                                + ProducerText.quote(paymentId) + " is not " + PaymentRules.idRule())))
                .or(() -> PaymentRules.check(sourceAccountId, destinationAccountId, amountMinor, currency, null))
                .or(() -> PaymentRules.checkReasonCodes(reasons));
        if (violation.isPresent()) {
            throw new PoisonRecordException(violation.get().message());
        }
    }

    private static String money(long amountMinor, String currency) {
        return new Money(amountMinor, currency).toString();
    }
}
