package io.payledger.payment.web;

import io.payledger.payment.domain.Channel;
import io.payledger.payment.domain.PaymentRefusal;
import io.payledger.payment.domain.PaymentRequest;
import io.payledger.payment.domain.Submitter;
import io.payledger.platform.money.InvalidMoneyException;
import io.payledger.platform.money.Money;
import io.payledger.platform.security.Caller;
import io.payledger.platform.security.Scopes;
import io.payledger.platform.web.ApiProblem;
import io.payledger.platform.web.TraceIdFilter;

/**
 * A payment's HTTP body made into the intake's request, with the checks a single payment and each payment
 * of a batch share: required fields, the currency and the amount's decimal string. Everything else about
 * the request's shape is the intake's to check, as for Kafka commands.
 */
final class PaymentRequests {

    private PaymentRequests() {
    }

    /** The caller as the domain knows it: the client the payment will belong to, and whether it may fund. */
    static Submitter submitter(Caller caller) {
        return new Submitter(caller.clientId(), caller.has(Scopes.FUNDING) || caller.isOperator());
    }

    /**
     * The request, or an {@link ApiProblem} saying what is wrong with it.
     *
     * @param keyName where the key comes from, for the message when it is missing
     */
    static PaymentRequest of(String key, String keyName, PaymentsController.PaymentBody body, Submitter submitter) {
        if (key == null || key.isBlank()) {
            throw ApiProblem.badRequest(PaymentProblems.MISSING_IDEMPOTENCY_KEY,
                    keyName + " is required; use a new unique value (e.g. a UUID) per payment");
        }
        if (body == null) {
            throw ApiProblem.badRequest(PaymentProblems.VALIDATION_FAILED, "a JSON body is required: "
                    + "{sourceAccountId, destinationAccountId, amount, currency, reference?}");
        }
        require(body.sourceAccountId(), "sourceAccountId");
        require(body.destinationAccountId(), "destinationAccountId");
        require(body.amount(), "amount");
        require(body.currency(), "currency");
        Money amount;
        try {
            Money.minorDigits(body.currency());
        } catch (InvalidMoneyException e) {
            throw PaymentProblems.of(PaymentRefusal.INVALID_CURRENCY, e.getMessage());
        }
        try {
            amount = Money.parse(body.amount(), body.currency());
        } catch (InvalidMoneyException e) {
            throw PaymentProblems.of(PaymentRefusal.INVALID_AMOUNT, e.getMessage());
        }
        return new PaymentRequest(key, body.sourceAccountId(), body.destinationAccountId(), amount.amountMinor(),
                amount.currency(), body.reference(), Channel.HTTP, TraceIdFilter.current(), submitter);
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.badRequest(PaymentProblems.VALIDATION_FAILED, field + " is required");
        }
    }
}
