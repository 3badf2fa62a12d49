package io.payledger.payment.messaging;

import io.payledger.events.PaymentInitiated;
import io.payledger.payment.domain.Payment;
import io.payledger.payment.persistence.OutboxMessage;
import io.payledger.payment.persistence.PaymentEvents;
import io.payledger.schemas.topic.Topics;
import io.payledger.schemas.topic.TraceHeaders;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Describes {@code PaymentInitiated}, keyed by source account and naming the payment's owner, for the outbox. */
public final class PaymentEventOutbox implements PaymentEvents {

    private final CommandTraceContexts commandTraces;

    /** @param commandTraces the trace context of each Kafka command being submitted, continued by its payment */
    public PaymentEventOutbox(CommandTraceContexts commandTraces) {
        this.commandTraces = commandTraces;
    }

    @Override
    public OutboxMessage<PaymentInitiated> accepted(Payment payment) {
        PaymentInitiated event = PaymentInitiated.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(payment.createdAt())
                .setPaymentId(payment.paymentId().toString())
                .setSourceAccountId(payment.sourceAccountId())
                .setDestinationAccountId(payment.destinationAccountId())
                .setAmountMinor(payment.amountMinor())
                .setCurrency(payment.currency())
                .setReference(payment.reference())
                .setInitiatedBy(payment.clientId())
                .build();
        Map<String, String> headers = new HashMap<>();
        headers.put(TraceHeaders.PAYMENT_ID, payment.paymentId().toString());
        if (payment.traceId() != null) {
            headers.put(TraceHeaders.TRACE_ID, payment.traceId());
        }
        headers.putAll(commandTraces.of(payment.clientId(), payment.idempotencyKey()));
        return new OutboxMessage<>(Topics.PAYMENTS_INITIATED, payment.sourceAccountId(), event, headers);
    }
}
