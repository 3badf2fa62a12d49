package io.payledger.payment.web;

import io.payledger.payment.domain.PaymentRefusal;
import io.payledger.payment.domain.PaymentRefusedException;
import io.payledger.platform.web.ApiProblem;
import java.time.Duration;
import org.springframework.http.HttpStatus;

/** Problem types of the payments API and how each refusal maps to one. */
final class PaymentProblems {

    static final String MISSING_IDEMPOTENCY_KEY = "missing-idempotency-key";
    static final String VALIDATION_FAILED = "validation-failed";
    static final String PAYMENT_NOT_FOUND = "payment-not-found";
    static final String DEPENDENCY_UNAVAILABLE = "dependency-unavailable";

    private PaymentProblems() {
    }

    /** The payment's accounts cannot be checked right now: nothing was recorded, retry as {@code retry} says. */
    static ApiProblem accountsUnavailable(String retry) {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, DEPENDENCY_UNAVAILABLE, "Temporarily unavailable",
                "accounts cannot be checked right now; nothing was recorded: " + retry)
                .retryAfter(Duration.ofSeconds(1));
    }

    /** The intake's refusal as the problem the API answers with. */
    static ApiProblem of(PaymentRefusedException refused) {
        return of(refused.refusal(), refused.getMessage());
    }

    static ApiProblem of(PaymentRefusal refusal, String detail) {
        String type = refusal.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return switch (refusal) {
            case INVALID_IDEMPOTENCY_KEY, INVALID_AMOUNT, INVALID_CURRENCY, INVALID_ACCOUNT, INVALID_REFERENCE,
                 SAME_ACCOUNT ->
                    ApiProblem.badRequest(type, detail);
            case UNKNOWN_ACCOUNT, CURRENCY_MISMATCH, IDEMPOTENCY_KEY_REUSED -> ApiProblem.unprocessable(type, detail);
            case REQUEST_IN_FLIGHT -> new ApiProblem(HttpStatus.CONFLICT, type, "Request in flight", detail);
            case FUNDING_SCOPE_REQUIRED -> new ApiProblem(HttpStatus.FORBIDDEN, type, "Forbidden", detail);
        };
    }
}
