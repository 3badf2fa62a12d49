package io.payledger.payment.domain;

/** A refused payment request; nothing was recorded. The message says what to fix. */
public class PaymentRefusedException extends RuntimeException {

    private final PaymentRefusal refusal;

    public PaymentRefusedException(PaymentRefusal refusal, String message) {
        super(message);
        this.refusal = refusal;
    }

    public PaymentRefusal refusal() {
        return refusal;
    }
}
