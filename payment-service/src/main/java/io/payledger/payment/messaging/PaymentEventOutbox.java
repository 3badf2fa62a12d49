package io.payledger.payment.messaging;

import io.payledger.events.PaymentInitiated;
import io.payledger.payment.domain.Payment;
import io.payledger.payment.persistence.PaymentEvents;
import io.payledger.platform.outbox.OutboxWriter;
import io.payledger.schemas.topic.Topics;
import io.payledger.schemas.topic.TraceHeaders;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Writes {@code PaymentInitiated}, keyed by source account, to the outbox. */
public final class PaymentEventOutbox implements PaymentEvents {

    private final OutboxWriter outbox;

    public PaymentEventOutbox(OutboxWriter outbox) {
        this.outbox = outbox;
    }

    @Override
    public void accepted(Handle transaction, Payment payment) {
        PaymentInitiated event = PaymentInitiated.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(payment.createdAt())
                .setPaymentId(payment.paymentId().toString())
                .setSourceAccountId(payment.sourceAccountId())
                .setDestinationAccountId(payment.destinationAccountId())
                .setAmountMinor(payment.amountMinor())
                .setCurrency(payment.currency())
                .setReference(payment.reference())
                .build();
        Map<String, String> headers = new HashMap<>();
        headers.put(TraceHeaders.PAYMENT_ID, payment.paymentId().toString());
        if (payment.traceId() != null) {
            headers.put(TraceHeaders.TRACE_ID, payment.traceId());
        }
        outbox.append(transaction, Topics.PAYMENTS_INITIATED, payment.sourceAccountId(), event, headers);
    }
}
