package io.payledger.payment.web;

import io.payledger.payment.domain.AccountDirectoryUnavailableException;
import io.payledger.payment.domain.Channel;
import io.payledger.payment.domain.IdempotencyKeys;
import io.payledger.payment.domain.Payment;
import io.payledger.payment.domain.PaymentIntake;
import io.payledger.payment.domain.PaymentRefusal;
import io.payledger.payment.domain.PaymentRefusedException;
import io.payledger.payment.domain.PaymentRequest;
import io.payledger.payment.domain.PaymentStore;
import io.payledger.payment.domain.Submitter;
import io.payledger.platform.money.InvalidMoneyException;
import io.payledger.platform.money.Money;
import io.payledger.platform.security.Caller;
import io.payledger.platform.security.Scopes;
import io.payledger.platform.web.ApiProblem;
import io.payledger.platform.web.TraceIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Payment commands over HTTP. Every refusal is a problem+json and records nothing. A payment belongs to
 * the client whose token submitted it: only that client and operators (scope {@code ops}) see it; to
 * everyone else it is the same 404 as a payment that does not exist. Idempotency keys are each client's own.
 */
@RestController
@RequestMapping("/v1/payments")
public class PaymentsController {

    private static final Logger log = LoggerFactory.getLogger(PaymentsController.class);
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final PaymentIntake intake;
    private final PaymentStore payments;

    public PaymentsController(PaymentIntake intake, PaymentStore payments) {
        this.intake = intake;
        this.payments = payments;
    }

    /** Amounts are decimal strings in the currency's major unit, e.g. "12.34" USD. */
    public record PaymentBody(String sourceAccountId, String destinationAccountId, String amount, String currency,
                              String reference) {
    }

    public record PaymentView(String paymentId, String status, List<String> reasons, String sourceAccountId,
                              String destinationAccountId, String amount, long amountMinor, String currency,
                              String reference, String createdAt, String updatedAt) {
        static PaymentView of(Payment payment) {
            return new PaymentView(payment.paymentId().toString(), payment.status().name(), payment.reasons(),
                    payment.sourceAccountId(), payment.destinationAccountId(),
                    new Money(payment.amountMinor(), payment.currency()).toDecimalString(), payment.amountMinor(),
                    payment.currency(), payment.reference(), payment.createdAt().toString(),
                    payment.updatedAt().toString());
        }
    }

    @PostMapping
    public ResponseEntity<PaymentView> create(@RequestHeader(value = IDEMPOTENCY_KEY, required = false) String key,
                                              @RequestBody(required = false) PaymentBody body,
                                              HttpServletRequest http, Caller caller) {
        // Spring joins repeated headers with commas; a proxy in front may have read only the first.
        requireOnce(Collections.list(http.getHeaders(IDEMPOTENCY_KEY)).size(), "the " + IDEMPOTENCY_KEY + " header");
        PaymentRequest request = toRequest(key, body, submitter(caller));
        try {
            PaymentIntake.Outcome outcome = intake.submit(request);
            try (MDC.MDCCloseable ignored = MDC.putCloseable("paymentId", outcome.payment().paymentId().toString())) {
                log.info("Payment {} over HTTP", outcome.replayed() ? "replayed" : "accepted");
            }
            return ResponseEntity.accepted()
                    .location(URI.create("/v1/payments/" + outcome.payment().paymentId()))
                    .header("Idempotent-Replayed", Boolean.toString(outcome.replayed()))
                    .body(PaymentView.of(outcome.payment()));
        } catch (PaymentRefusedException e) {
            throw PaymentProblems.of(e.refusal(), e.getMessage());
        } catch (AccountDirectoryUnavailableException e) {
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, PaymentProblems.DEPENDENCY_UNAVAILABLE,
                    "Temporarily unavailable", "accounts cannot be checked right now; retry with the same "
                    + IDEMPOTENCY_KEY).retryAfter(java.time.Duration.ofSeconds(1));
        }
    }

    /** Finds one of the caller's own payments by the Idempotency-Key (or Kafka commandId) it was made with. */
    @GetMapping
    public PaymentView byIdempotencyKey(@RequestParam("idempotencyKey") String key, HttpServletRequest http,
                                        Caller caller) {
        String[] given = http.getParameterValues("idempotencyKey");
        requireOnce(given == null ? 0 : given.length, "the idempotencyKey query parameter");
        if (!IdempotencyKeys.isValid(key)) {
            // No payment can hold such a key; saying why beats a 404 (and the database refuses NUL outright).
            throw PaymentProblems.of(PaymentRefusal.INVALID_IDEMPOTENCY_KEY,
                    "idempotencyKey must be " + IdempotencyKeys.RULE);
        }
        return payments.findByIdempotencyKey(caller.clientId(), key).map(PaymentView::of).orElseThrow(() ->
                ApiProblem.notFound(PaymentProblems.PAYMENT_NOT_FOUND, "no payment with Idempotency-Key " + key));
    }

    @GetMapping("/{paymentId}")
    public PaymentView get(@PathVariable String paymentId, Caller caller) {
        UUID id;
        try {
            id = UUID.fromString(paymentId);
        } catch (IllegalArgumentException e) {
            throw notFound(paymentId);
        }
        return payments.find(id)
                .filter(payment -> caller.maySee(payment.clientId()))
                .map(PaymentView::of)
                .orElseThrow(() -> notFound(paymentId));
    }

    /** The caller as the domain knows it: the client the payment will belong to, and whether it may fund. */
    private static Submitter submitter(Caller caller) {
        return new Submitter(caller.clientId(), caller.has(Scopes.FUNDING) || caller.isOperator());
    }

    private static PaymentRequest toRequest(String key, PaymentBody body, Submitter submitter) {
        if (key == null || key.isBlank()) {
            throw ApiProblem.badRequest(PaymentProblems.MISSING_IDEMPOTENCY_KEY,
                    "the " + IDEMPOTENCY_KEY + " header is required; use a new unique value (e.g. a UUID) per payment");
        }
        if (body == null) {
            throw ApiProblem.badRequest(PaymentProblems.VALIDATION_FAILED, "a JSON body is required: "
                    + "{sourceAccountId, destinationAccountId, amount, currency, reference?}");
        }
        require(body.sourceAccountId(), "sourceAccountId");
        require(body.destinationAccountId(), "destinationAccountId");
        require(body.amount(), "amount");
        require(body.currency(), "currency");
        // The shape of the key, the account IDs and the reference is the intake's to check, as for Kafka.
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

    private static void requireOnce(int times, String what) {
        if (times > 1) {
            throw PaymentProblems.of(PaymentRefusal.INVALID_IDEMPOTENCY_KEY,
                    what + " was given " + times + " times; give it once");
        }
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.badRequest(PaymentProblems.VALIDATION_FAILED, field + " is required");
        }
    }

    private static ApiProblem notFound(String paymentId) {
        return ApiProblem.notFound(PaymentProblems.PAYMENT_NOT_FOUND, "no payment " + paymentId);
    }
}
