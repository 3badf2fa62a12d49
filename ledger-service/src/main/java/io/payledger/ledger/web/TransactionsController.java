package io.payledger.ledger.web;

import io.payledger.ledger.domain.Accounts;
import io.payledger.ledger.domain.DeclineReason;
import io.payledger.ledger.domain.LedgerTransaction;
import io.payledger.ledger.domain.Transactions;
import io.payledger.ledger.web.AccountsController.EntryView;
import io.payledger.platform.money.Money;
import io.payledger.platform.security.Caller;
import io.payledger.platform.web.ApiProblem;
import io.payledger.platform.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A ledger transaction and its postings, for operators and the owners of its accounts
 * ({@link LedgerAccess}); anyone else gets the same 404 as for a transaction that does not exist.
 */
@RestController
@RequestMapping("/v1/transactions")
@Tag(name = "Transactions", description = "Ledger transactions: a payment's outcome and its postings")
public class TransactionsController {

    private final Transactions transactions;
    private final Accounts accounts;

    public TransactionsController(Transactions transactions, Accounts accounts) {
        this.transactions = transactions;
        this.accounts = accounts;
    }

    @Schema(description = "A payment as the ledger applied it", requiredProperties = {"transactionId", "paymentId",
            "status", "declineReason", "sourceAccountId", "destinationAccountId", "amountMinor", "amount", "currency",
            "reference", "appliedAt", "postings"})
    public record TransactionView(
            @Schema(format = "uuid") String transactionId,
            @Schema(format = "uuid", description = "The payment it applies; the same ID") String paymentId,
            @Schema(allowableValues = {"POSTED", "DECLINED"}) String status,
            @Schema(types = {"string", "null"}, allowableValues = {"INSUFFICIENT_FUNDS", "UNKNOWN_ACCOUNT",
                    "CURRENCY_MISMATCH", "SAME_ACCOUNT", "INVALID_AMOUNT", "INVALID_INSTRUCTION"},
                    description = "Why it was declined; null when posted") String declineReason,
            String sourceAccountId,
            String destinationAccountId,
            long amountMinor,
            @Schema(types = {"string", "null"}, description = "Decimal string in the major unit; null when the "
                    + "declined instruction's currency is no payable ISO 4217 code") String amount,
            String currency,
            @Schema(types = {"string", "null"}) String reference,
            @Schema(format = "date-time") String appliedAt,
            @Schema(description = "The entries it posted; empty when declined") List<EntryView> postings) {
        static TransactionView of(LedgerTransaction tx) {
            String id = tx.transactionId().toString();
            return new TransactionView(id, id, tx.status().name(),
                    tx.declineReason().map(DeclineReason::name).orElse(null),
                    tx.payment().sourceAccountId(), tx.payment().destinationAccountId(), tx.payment().amountMinor(),
                    decimalAmount(tx.payment().amountMinor(), tx.payment().currency()),
                    tx.payment().currency(), tx.payment().reference(), tx.appliedAt().toString(),
                    tx.entries().stream().map(EntryView::of).toList());
        }

        /**
         * A declined instruction may name a currency that is no payable ISO 4217 code ("XXX", "USDX"): its
         * amount is then served in minor units only, and the row is still served.
         */
        private static String decimalAmount(long amountMinor, String currency) {
            return Money.isSupportedCurrency(currency) ? new Money(amountMinor, currency).toDecimalString() : null;
        }
    }

    @GetMapping("/{transactionId}")
    @Operation(operationId = "getTransaction", summary = "Get a ledger transaction and its postings",
            description = "Answered to operators and to the owner of its source or destination account; to anyone "
                    + "else it is the same 404 as a transaction that does not exist.")
    @ApiResponse(responseCode = "200", description = "The transaction")
    @ProblemResponse(status = 404, types = LedgerProblems.TRANSACTION_NOT_FOUND,
            description = "no such transaction, or not one the caller may read")
    public TransactionView transaction(@Parameter(schema = @Schema(type = "string", format = "uuid"))
                                       @PathVariable String transactionId, Caller caller) {
        UUID id;
        try {
            id = UUID.fromString(transactionId);
        } catch (IllegalArgumentException e) {
            throw notFound(transactionId);
        }
        return transactions.find(id)
                .filter(transaction -> LedgerAccess.mayRead(caller, transaction, accounts))
                .map(TransactionView::of)
                .orElseThrow(() -> notFound(transactionId));
    }

    private static ApiProblem notFound(String transactionId) {
        return ApiProblem.notFound(LedgerProblems.TRANSACTION_NOT_FOUND, "no ledger transaction " + transactionId);
    }
}
