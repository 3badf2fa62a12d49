package io.payledger.payment.web;

import io.payledger.payment.domain.AccountDirectoryUnavailableException;
import io.payledger.payment.domain.IdempotencyKeys;
import io.payledger.payment.domain.Payment;
import io.payledger.payment.domain.PaymentIntake;
import io.payledger.payment.domain.PaymentRefusal;
import io.payledger.payment.domain.PaymentRefusedException;
import io.payledger.payment.domain.PaymentRequest;
import io.payledger.payment.domain.PaymentStore;
import io.payledger.platform.money.Money;
import io.payledger.platform.security.Caller;
import io.payledger.platform.web.ApiProblem;
import io.payledger.platform.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
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
@Tag(name = "Payments", description = "Submit payments idempotently and follow their status")
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
    @Schema(description = "A payment to make: from an account the caller may pay from, to any account")
    public record PaymentBody(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = ACCOUNT_ID, example = "alice",
                    pattern = ACCOUNT_ID_PATTERN) String sourceAccountId,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = ACCOUNT_ID, example = "bob",
                    pattern = ACCOUNT_ID_PATTERN) String destinationAccountId,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Decimal string in the currency's major unit: "
                    + "ASCII digits with an optional fraction, no more decimals than the currency has",
                    example = "12.34", maxLength = 40, pattern = "^[0-9]+(\\.[0-9]+)?$") String amount,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "ISO 4217 currency code", example = "USD")
            String currency,
            @Schema(types = {"string", "null"}, description = "Free text for the payer, printable, at most 140 "
                    + "characters", maxLength = 140, example = "invoice 42") String reference) {
    }

    static final String ACCOUNT_ID = "Account ID: 1-64 letters, digits, '.', '_', ':' or '-', starting with a "
            + "letter or digit";
    static final String ACCOUNT_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$";

    @Schema(description = "A payment as recorded", requiredProperties = {"paymentId", "status", "reasons",
            "sourceAccountId", "destinationAccountId", "amount", "amountMinor", "currency", "reference", "createdAt",
            "updatedAt"})
    public record PaymentView(
            @Schema(format = "uuid") String paymentId,
            @Schema(allowableValues = {"PENDING", "REJECTED", "POSTED", "DECLINED"}, description = "PENDING until "
                    + "fraud screening and the ledger decide") String status,
            @Schema(description = "Why it was rejected or declined; empty otherwise") List<String> reasons,
            String sourceAccountId,
            String destinationAccountId,
            @Schema(description = "Decimal string in the currency's major unit", example = "12.34") String amount,
            @Schema(description = "The amount in the currency's minor unit (cents)", example = "1234") long amountMinor,
            String currency,
            @Schema(types = {"string", "null"}) String reference,
            @Schema(format = "date-time") String createdAt,
            @Schema(format = "date-time") String updatedAt) {
        static PaymentView of(Payment payment) {
            return new PaymentView(payment.paymentId().toString(), payment.status().name(), payment.reasons(),
                    payment.sourceAccountId(), payment.destinationAccountId(),
                    new Money(payment.amountMinor(), payment.currency()).toDecimalString(), payment.amountMinor(),
                    payment.currency(), payment.reference(), payment.createdAt().toString(),
                    payment.updatedAt().toString());
        }
    }

    @PostMapping
    @Operation(operationId = "submitPayment", summary = "Submit a payment",
            description = "Idempotent per client and Idempotency-Key: the same key with the same body returns the same "
                    + "payment (Idempotent-Replayed: true); with another body it is 422 idempotency-key-reused; while "
                    + "the first request is in flight, 409 request-in-flight. A refused payment records nothing. "
                    + "Paying out of a SYSTEM account needs scope funding or ops as well.")
    @ApiResponse(responseCode = "202", description = "Accepted, or replayed: the payment, PENDING until decided",
            headers = {
                    @Header(name = "Location", description = "The payment's URL, /v1/payments/{paymentId}",
                            schema = @Schema(type = "string")),
                    @Header(name = "Idempotent-Replayed", description = "true when this key was seen before and "
                            + "the payment is the one it made", schema = @Schema(type = "boolean"))})
    @ProblemResponse(status = 400, types = {PaymentProblems.MISSING_IDEMPOTENCY_KEY, "invalid-idempotency-key",
            PaymentProblems.VALIDATION_FAILED, "invalid-amount", "invalid-currency", "invalid-account",
            "invalid-reference", "same-account"}, description = "nothing was recorded; fix the request")
    @ProblemResponse(status = 403, types = "funding-scope-required",
            description = "a SYSTEM source account without scope funding or ops")
    @ProblemResponse(status = 409, types = "request-in-flight",
            description = "the first request with this key is still being worked on; retry with the same key")
    @ProblemResponse(status = 422, types = {"unknown-account", "currency-mismatch", "idempotency-key-reused"},
            description = "a source the caller may not pay from is unknown-account, as one that does not exist")
    @ProblemResponse(status = 503, types = PaymentProblems.DEPENDENCY_UNAVAILABLE,
            description = "accounts cannot be checked right now; retry with the same Idempotency-Key")
    public ResponseEntity<PaymentView> create(@Parameter(name = IDEMPOTENCY_KEY, in = ParameterIn.HEADER,
                                                      required = true, description = "The client's unique key for "
                                                      + "this payment (e.g. a UUID), given once: "
                                                      + IdempotencyKeys.RULE,
                                                      schema = @Schema(type = "string", minLength = 1,
                                                              maxLength = IdempotencyKeys.MAX_LENGTH))
                                              @RequestHeader(value = IDEMPOTENCY_KEY, required = false) String key,
                                              @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true)
                                              @RequestBody(required = false) PaymentBody body,
                                              HttpServletRequest http, Caller caller) {
        // Spring joins repeated headers with commas; a proxy in front may have read only the first.
        requireOnce(Collections.list(http.getHeaders(IDEMPOTENCY_KEY)).size(), "the " + IDEMPOTENCY_KEY + " header");
        PaymentRequest request = PaymentRequests.of(key, "the " + IDEMPOTENCY_KEY + " header", body,
                PaymentRequests.submitter(caller));
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
            throw PaymentProblems.of(e);
        } catch (AccountDirectoryUnavailableException e) {
            throw PaymentProblems.accountsUnavailable("retry with the same " + IDEMPOTENCY_KEY);
        }
    }

    /** Finds one of the caller's own payments by the Idempotency-Key (or Kafka commandId) it was made with. */
    @GetMapping
    @Operation(operationId = "findPaymentByIdempotencyKey", summary = "Find one of the caller's payments by its key",
            description = "Looks among the caller's own payments only, made over HTTP (Idempotency-Key) or Kafka "
                    + "(commandId).")
    @ApiResponse(responseCode = "200", description = "The payment")
    @ProblemResponse(status = 400, types = "invalid-idempotency-key",
            description = "a key no payment can have, or the parameter given twice")
    @ProblemResponse(status = 404, types = PaymentProblems.PAYMENT_NOT_FOUND,
            description = "the caller has no payment with this key")
    public PaymentView byIdempotencyKey(@Parameter(description = "The Idempotency-Key or commandId the payment was "
                                                + "made with", schema = @Schema(type = "string", minLength = 1,
                                                maxLength = IdempotencyKeys.MAX_LENGTH))
                                        @RequestParam("idempotencyKey") String key, HttpServletRequest http,
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
    @Operation(operationId = "getPayment", summary = "Get a payment",
            description = "Answered to the client that submitted it and to operators (scope ops); to anyone else "
                    + "it is the same 404 as a payment that does not exist.")
    @ApiResponse(responseCode = "200", description = "The payment")
    @ProblemResponse(status = 404, types = PaymentProblems.PAYMENT_NOT_FOUND,
            description = "no such payment, or not the caller's")
    public PaymentView get(@Parameter(schema = @Schema(type = "string", format = "uuid")) @PathVariable String paymentId,
                           Caller caller) {
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

    private static void requireOnce(int times, String what) {
        if (times > 1) {
            throw PaymentProblems.of(PaymentRefusal.INVALID_IDEMPOTENCY_KEY,
                    what + " was given " + times + " times; give it once");
        }
    }

    private static ApiProblem notFound(String paymentId) {
        return ApiProblem.notFound(PaymentProblems.PAYMENT_NOT_FOUND, "no payment " + paymentId);
    }
}
