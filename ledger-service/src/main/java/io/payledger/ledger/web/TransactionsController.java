package io.payledger.ledger.web;

import io.payledger.ledger.domain.Accounts;
import io.payledger.ledger.domain.DeclineReason;
import io.payledger.ledger.domain.LedgerTransaction;
import io.payledger.ledger.domain.Transactions;
import io.payledger.ledger.web.AccountsController.EntryView;
import io.payledger.platform.money.Money;
import io.payledger.platform.security.Caller;
import io.payledger.platform.web.ApiProblem;
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
public class TransactionsController {

    private final Transactions transactions;
    private final Accounts accounts;

    public TransactionsController(Transactions transactions, Accounts accounts) {
        this.transactions = transactions;
        this.accounts = accounts;
    }

    public record TransactionView(String transactionId, String paymentId, String status, String declineReason,
                                  String sourceAccountId, String destinationAccountId, long amountMinor,
                                  String amount, String currency, String reference, String appliedAt,
                                  List<EntryView> postings) {
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
    public TransactionView transaction(@PathVariable String transactionId, Caller caller) {
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
