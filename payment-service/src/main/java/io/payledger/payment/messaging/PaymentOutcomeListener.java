package io.payledger.payment.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Learns each payment's outcome: REJECTED from fraud decisions, POSTED or DECLINED from the ledger. A polled
 * batch is translated record by record (poison is dead-lettered) and settled as one unit, one transaction per
 * poll. Settling is idempotent (only a PENDING payment moves), so redelivery and replay change nothing; an outcome
 * that describes another payment than the one recorded under its ID (accounts, amount, currency) settles nothing
 * and is dead-lettered.
 */
public final class PaymentOutcomeListener {

    private static final Logger log = LoggerFactory.getLogger(PaymentOutcomeListener.class);

    private final RecordTranslator<Settlement> settlements;
    private final DeadLetterPublisher deadLetters;
    private final PaymentStore payments;
    private final Clock clock;
    private final Map<PaymentStatus, Timer> endToEnd = new EnumMap<>(PaymentStatus.class);

    public PaymentOutcomeListener(SerdeSettings serdeSettings, DeadLetterPublisher deadLetters, PaymentStore payments,
                                  MeterRegistry meters, Clock clock) {
        this.settlements = new RecordTranslator<Settlement>(serdeSettings)
                .on(Topics.FRAUD_DECISIONS, FraudDecision.class, PaymentOutcomeListener::onFraudDecision)
                .on(Topics.LEDGER_TRANSACTIONS, TransactionPosted.class, PaymentOutcomeListener::onPosted)
                .on(Topics.LEDGER_TRANSACTIONS, TransactionDeclined.class, PaymentOutcomeListener::onDeclined);
        this.deadLetters = deadLetters;
        this.payments = payments;
        this.clock = clock;
        // Registered up front, so a dashboard and an alert see every final status from the start.
        for (PaymentStatus status : PaymentStatus.values()) {
            if (status != PaymentStatus.PENDING) {
                endToEnd.put(status, Timer.builder("payledger.payment.end.to.end")
                        .description("From a payment's acceptance to its final status recorded by payment-service")
                        .tag("status", status.name())
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(10))
                        .maximumExpectedValue(Duration.ofMinutes(5))
                        .register(meters));
            }
        }
    }

    public void onBatch(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Settlement, ConsumerRecord<byte[], byte[]>> outcomes = new LinkedHashMap<>();
        List<Settlement> inOrder = new ArrayList<>(records.size());
        DeadLetterBatch poison = new DeadLetterBatch(deadLetters);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try (RecordLogContext ignored = RecordLogContext.of(record.headers())) {
                Settlement settlement = settlements.translate(record);
                if (settlement != null) {
                    inOrder.add(settlement);
                    outcomes.putIfAbsent(settlement, record);
                }
            } catch (PoisonRecordException e) {
                poison.add(record, e);
            }
        }
        PaymentStore.Settled result = payments.settle(inOrder);
        for (Settlement contradicting : result.contradicting()) {
            poison.add(outcomes.get(contradicting), new PoisonRecordException("the outcome " + contradicting.status()
                    + " of payment " + contradicting.paymentId() + " describes another payment than the one recorded "
                    + "(accounts, amount or currency differ): it settles nothing"));
        }
        poison.publish();
        Instant now = clock.instant();
        for (Settlement settlement : result.settled()) {
            endToEnd.get(settlement.status()).record(Duration.between(result.acceptedAt(settlement), now));
            try (MDC.MDCCloseable ignored = MDC.putCloseable(RecordLogContext.PAYMENT_ID,
                    settlement.paymentId().toString())) {
                log.info("Payment {} {}", settlement.status(),
                        settlement.reasons().isEmpty() ? "" : settlement.reasons());
            }
        }
    }

    /** A decision is about a payment: its ID is checked whatever the verdict, though only a rejection settles it. */
    private static Settlement onFraudDecision(FraudDecision decision) {
        UUID id = paymentId(decision.getPaymentId());
        if (decision.getVerdict() != FraudVerdict.REJECTED) {
            return null;
        }
        PaymentInitiated payment = decision.getPayment();
        return settlement(id, PaymentStatus.REJECTED, decision.getReasons(), payment.getSourceAccountId(),
                payment.getDestinationAccountId(), payment.getAmountMinor(), payment.getCurrency());
    }

    private static Settlement onPosted(TransactionPosted posted) {
        return settlement(paymentId(posted.getPaymentId()), PaymentStatus.POSTED, List.of(),
                posted.getSourceAccountId(), posted.getDestinationAccountId(), posted.getAmountMinor(),
                posted.getCurrency());
    }

    private static Settlement onDeclined(TransactionDeclined declined) {
        return settlement(paymentId(declined.getPaymentId()), PaymentStatus.DECLINED, List.of(declined.getReason()),
                declined.getSourceAccountId(), declined.getDestinationAccountId(), declined.getAmountMinor(),
                declined.getCurrency());
    }

    private static UUID paymentId(String paymentId) {
        return PaymentRules.paymentId(paymentId).orElseThrow(() -> new PoisonRecordException(
                "payment ID " + ProducerText.quote(paymentId) + " is not " + PaymentRules.idRule()));
    }

    /**
     * The outcome as a settlement, if it is about a payment that obeys the platform's rules: every payment recorded
     * here does, so one that breaks them (an INVALID_PAYMENT rejection, a decline of an invalid instruction: written
     * about a payment that never came through intake) settles nothing and is dead-lettered, before any of its text
     * reaches the database (which refuses NUL bytes).
     */
    private static Settlement settlement(UUID id, PaymentStatus status, List<String> reasons, String source,
                                         String destination, long amountMinor, String currency) {
        PaymentRules.check(source, destination, amountMinor, currency, null)
                .or(() -> PaymentRules.checkReasonCodes(reasons))
                .ifPresent(violation -> {
                    throw new PoisonRecordException(violation.message());
                });
        return new Settlement(id, status, reasons, source, destination, amountMinor, currency);
    }
}
