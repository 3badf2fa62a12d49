package io.payledger.payment.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.payledger.payment.domain.AccountDirectoryUnavailableException;
import io.payledger.payment.domain.PaymentIntake;
import io.payledger.payment.domain.PaymentRequest;
import io.payledger.payment.domain.Submitter;
import io.payledger.platform.security.Caller;
import io.payledger.platform.security.RequestRateLimit;
import io.payledger.platform.web.ApiProblem;
import io.payledger.platform.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Many payments in one request, for producers that submit in bulk: a request's fixed cost (its token, the
 * framework, the connection) is paid once, and the batch is checked with one read of the accounts and
 * recorded by one database transaction. Each payment is answered exactly as {@code POST /v1/payments}
 * would answer it alone, with its own idempotency key, in order: a refused payment records nothing and
 * does not stop the others.
 */
@RestController
@RequestMapping("/v1/payments/batch")
@Tag(name = "Payments")
public class PaymentBatchController {

    /** The most payments a batch may carry: a full batch of typical payments is about 25 KB, under the 64 KB limit. */
    public static final int MAX_PAYMENTS = 100;

    private static final Logger log = LoggerFactory.getLogger(PaymentBatchController.class);
    private static final String KEY_FIELD = "idempotencyKey";

    private final PaymentIntake intake;

    public PaymentBatchController(PaymentIntake intake) {
        this.intake = intake;
    }

    @Schema(description = "One payment of a batch: a payment's body with its own idempotency key")
    public record BatchPayment(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "As the Idempotency-Key header of a single "
                    + "payment: the client's unique key for this payment",
                    example = "9f1c2d3e-0000-4000-8000-000000000001")
            String idempotencyKey,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "alice") String sourceAccountId,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "bob") String destinationAccountId,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "12.34") String amount,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "USD") String currency,
            @Schema(types = {"string", "null"}, maxLength = 140) String reference) {

        PaymentsController.PaymentBody body() {
            return new PaymentsController.PaymentBody(sourceAccountId, destinationAccountId, amount, currency,
                    reference);
        }
    }

    @Schema(description = "Payments to make, each judged on its own")
    public record BatchBody(@ArraySchema(minItems = 1, maxItems = MAX_PAYMENTS,
            schema = @Schema(implementation = BatchPayment.class)) List<BatchPayment> payments) {
    }

    @Schema(description = "Why one payment of a batch was refused, as the problem a single request would get")
    public record ItemProblem(@Schema(example = "urn:payledger:problem:unknown-account") String type, String title,
                              int status, String detail) {
        static ItemProblem of(ApiProblem problem) {
            return new ItemProblem(problem.typeUri().toString(), problem.title(), problem.status().value(),
                    problem.getMessage());
        }
    }

    @Schema(description = "What became of one payment of a batch: 202 with the payment (accepted, or replayed), or "
            + "the status and problem a single request would have got", requiredProperties = "status")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BatchItemResult(@Schema(example = "202") int status,
                                  @Schema(description = "202 only: true when the key was seen before")
                                  Boolean idempotentReplayed,
                                  @Schema(description = "202 only") PaymentsController.PaymentView payment,
                                  @Schema(description = "4xx only") ItemProblem problem) {

        static BatchItemResult accepted(PaymentIntake.Outcome outcome) {
            return new BatchItemResult(HttpStatus.ACCEPTED.value(), outcome.replayed(),
                    PaymentsController.PaymentView.of(outcome.payment()), null);
        }

        static BatchItemResult refused(ApiProblem problem) {
            return new BatchItemResult(problem.status().value(), null, null, ItemProblem.of(problem));
        }
    }

    @Schema(description = "One result per payment, in the order of the request", requiredProperties = {"accepted",
            "refused", "results"})
    public record BatchResult(@Schema(description = "Results with status 202") int accepted,
                              @Schema(description = "Results with another status") int refused,
                              List<BatchItemResult> results) {
    }

    @PostMapping
    @Operation(operationId = "submitPaymentBatch", summary = "Submit up to 100 payments at once",
            description = "Each payment is judged exactly as POST /v1/payments would judge it alone, with the "
                    + "idempotencyKey in its body in place of the header, and gets its own result, in order; a "
                    + "refused payment records nothing and the others go on. A key given twice in one batch is its "
                    + "own replay (the same payment) or idempotency-key-reused. Each payment counts against the "
                    + "client's rate limit.")
    @ApiResponse(responseCode = "200", description = "Every payment's result; see each result's status")
    @ProblemResponse(status = 400, types = PaymentProblems.VALIDATION_FAILED,
            description = "no payments, more than 100, or a payment that is null; nothing was recorded")
    @ProblemResponse(status = 429, types = "too-many-requests",
            description = "the batch's payments are more than the client's rate limit holds now; nothing was recorded")
    @ProblemResponse(status = 503, types = PaymentProblems.DEPENDENCY_UNAVAILABLE,
            description = "accounts cannot be checked right now; nothing was recorded, retry the same batch")
    public BatchResult submit(@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true)
                              @RequestBody(required = false) BatchBody body, HttpServletRequest http, Caller caller) {
        List<BatchPayment> payments = payments(body);
        RequestRateLimit.chargeMore(http, payments.size() - 1L, "a batch of " + payments.size() + " payments");
        Submitter submitter = PaymentRequests.submitter(caller);
        BatchItemResult[] results = new BatchItemResult[payments.size()];
        List<PaymentRequest> requests = new ArrayList<>(payments.size());
        List<Integer> positions = new ArrayList<>(payments.size());
        for (int i = 0; i < payments.size(); i++) {
            BatchPayment payment = payments.get(i);
            try {
                requests.add(PaymentRequests.of(payment.idempotencyKey(), KEY_FIELD, payment.body(), submitter));
                positions.add(i);
            } catch (ApiProblem refused) {
                results[i] = BatchItemResult.refused(refused);
            }
        }
        List<PaymentIntake.Answer> answers;
        try {
            answers = requests.isEmpty() ? List.of() : intake.submitAll(requests);
        } catch (AccountDirectoryUnavailableException e) {
            throw PaymentProblems.accountsUnavailable("retry the same batch");
        }
        int accepted = 0;
        for (int j = 0; j < answers.size(); j++) {
            PaymentIntake.Answer answer = answers.get(j);
            if (answer.accepted()) {
                accepted++;
                results[positions.get(j)] = BatchItemResult.accepted(answer.outcome());
                try (MDC.MDCCloseable ignored = MDC.putCloseable("paymentId",
                        answer.outcome().payment().paymentId().toString())) {
                    log.info("Payment {} over HTTP in a batch", answer.outcome().replayed() ? "replayed" : "accepted");
                }
            } else {
                results[positions.get(j)] = BatchItemResult.refused(PaymentProblems.of(answer.refusal()));
            }
        }
        return new BatchResult(accepted, payments.size() - accepted, List.of(results));
    }

    private static List<BatchPayment> payments(BatchBody body) {
        if (body == null || body.payments() == null || body.payments().isEmpty()) {
            throw ApiProblem.badRequest(PaymentProblems.VALIDATION_FAILED, "a JSON body {\"payments\": [...]} with "
                    + "1 to " + MAX_PAYMENTS + " payments is required");
        }
        if (body.payments().size() > MAX_PAYMENTS) {
            throw ApiProblem.badRequest(PaymentProblems.VALIDATION_FAILED, "a batch holds at most " + MAX_PAYMENTS
                    + " payments, this one " + body.payments().size() + "; split it");
        }
        for (int i = 0; i < body.payments().size(); i++) {
            if (body.payments().get(i) == null) {
                throw ApiProblem.badRequest(PaymentProblems.VALIDATION_FAILED, "payments[" + i + "] is null; each "
                        + "payment is an object {idempotencyKey, sourceAccountId, destinationAccountId, amount, "
                        + "currency, reference?}");
            }
        }
        return body.payments();
    }
}
