package io.payledger.ledger.web;

import io.payledger.ledger.domain.Account;
import io.payledger.ledger.domain.AccountType;
import io.payledger.ledger.domain.Accounts;
import io.payledger.ledger.domain.LedgerTransaction;
import io.payledger.ledger.domain.PaymentInstruction;
import io.payledger.platform.security.Caller;
import io.payledger.platform.security.Scopes;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which of the books a caller reads and what it may open. An account belongs to the client that opened
 * it; one opened before accounts had owners belongs to nobody, and only operators ({@code ops}) read it.
 * A caller that may not read something gets the same 404 as for something that does not exist, so a
 * refusal never tells that it exists.
 */
final class LedgerAccess {

    private LedgerAccess() {
    }

    /**
     * An account's balance, currency, type and owner: its owner, operators, and clients that look accounts
     * up ({@code accounts:lookup}: payment-service checking a payment's accounts at intake).
     */
    static boolean mayRead(Caller caller, Account account) {
        return caller.maySee(account.owner()) || caller.has(Scopes.ACCOUNTS_LOOKUP);
    }

    /** An account's statement: its owner and operators only. */
    static boolean mayReadStatement(Caller caller, Account account) {
        return caller.maySee(account.owner());
    }

    /**
     * A transaction and its postings: operators, and the owner of its source or destination account (a
     * declined payment may name an account that does not exist, which nobody owns).
     */
    static boolean mayRead(Caller caller, LedgerTransaction transaction, Accounts accounts) {
        PaymentInstruction payment = transaction.payment();
        return caller.isOperator()
                || Stream.of(payment.sourceAccountId(), payment.destinationAccountId())
                        .map(accounts::find)
                        .flatMap(Optional::stream)
                        .anyMatch(account -> caller.maySee(account.owner()));
    }

    /** A SYSTEM account may go negative, so opening one mints money: scope {@code funding} or {@code ops}. */
    static boolean mayOpen(Caller caller, AccountType type) {
        return !type.mayGoNegative() || caller.has(Scopes.FUNDING) || caller.isOperator();
    }
}
