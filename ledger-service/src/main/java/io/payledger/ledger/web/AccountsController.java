package io.payledger.ledger.web;

import io.payledger.ledger.domain.Account;
import io.payledger.ledger.domain.AccountType;
import io.payledger.ledger.domain.Accounts;
import io.payledger.ledger.domain.Entry;
import io.payledger.platform.ids.AccountIds;
import io.payledger.platform.money.InvalidMoneyException;
import io.payledger.platform.money.Money;
import io.payledger.platform.security.Caller;
import io.payledger.platform.security.Scopes;
import io.payledger.platform.web.ApiProblem;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Accounts: open one (it belongs to the caller), read its balance, page through its statement. Who reads
 * what is {@link LedgerAccess}'s to say; anyone else gets the same 404 as for an account that does not exist.
 */
@RestController
@RequestMapping("/v1/accounts")
public class AccountsController {

    private static final int MAX_PAGE = 500;

    private final Accounts accounts;
    private final Clock clock;

    public AccountsController(Accounts accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    public record OpenAccountRequest(String accountId, String currency, String type) {
    }

    /** {@code owner}: the client ID of the client that opened the account; null for one opened before owners. */
    public record AccountView(String accountId, String currency, String type, long balanceMinor, String balance,
                              long version, String createdAt, String owner) {
        static AccountView of(Account account) {
            return new AccountView(account.accountId(), account.currency(), account.type().name(),
                    account.balanceMinor(), new Money(account.balanceMinor(), account.currency()).toDecimalString(),
                    account.lastSequence(), account.createdAt().toString(), account.owner());
        }
    }

    public record EntryView(String accountId, long sequence, String transactionId, String counterpartyAccountId,
                            long amountMinor, String amount, String currency, long balanceAfterMinor,
                            String balanceAfter, String postedAt) {
        static EntryView of(Entry entry) {
            return new EntryView(entry.accountId(), entry.sequence(), entry.transactionId().toString(),
                    entry.counterpartyAccountId(),
                    entry.amountMinor(), new Money(entry.amountMinor(), entry.currency()).toDecimalString(),
                    entry.currency(), entry.balanceAfter(),
                    new Money(entry.balanceAfter(), entry.currency()).toDecimalString(), entry.postedAt().toString());
        }
    }

    /** A page of the statement, newest first; pass {@code nextBefore} as {@code before} for the next page. */
    public record StatementPage(String accountId, List<EntryView> entries, Long nextBefore) {
    }

    @PostMapping
    public ResponseEntity<AccountView> open(@RequestBody OpenAccountRequest request, Caller caller) {
        if (request == null) {
            throw ApiProblem.badRequest(LedgerProblems.INVALID_ACCOUNT, "a JSON body with currency and type is required");
        }
        String accountId = request.accountId() == null ? UUID.randomUUID().toString() : request.accountId();
        if (!AccountIds.isValid(accountId)) {
            throw ApiProblem.badRequest(LedgerProblems.INVALID_ACCOUNT, "accountId must be " + AccountIds.RULE);
        }
        try {
            Money.minorDigits(request.currency());
        } catch (InvalidMoneyException e) {
            throw ApiProblem.badRequest(LedgerProblems.INVALID_CURRENCY, e.getMessage());
        }
        AccountType type = accountType(request.type());
        if (!LedgerAccess.mayOpen(caller, type)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, LedgerProblems.SYSTEM_ACCOUNT_NEEDS_FUNDING_SCOPE, "Forbidden",
                    "a SYSTEM account may go negative, so opening one needs scope " + Scopes.FUNDING + " or "
                            + Scopes.OPS + "; open a CUSTOMER account instead");
        }
        Account account = Account.open(accountId, request.currency(), type, caller.clientId(), clock.instant());
        if (!accounts.open(account)) {
            throw ApiProblem.conflict(LedgerProblems.ACCOUNT_EXISTS, "account " + accountId + " already exists");
        }
        return ResponseEntity.created(URI.create("/v1/accounts/" + accountId)).body(AccountView.of(account));
    }

    @GetMapping("/{accountId}")
    public AccountView account(@PathVariable String accountId, Caller caller) {
        return accounts.find(accountId)
                .filter(account -> LedgerAccess.mayRead(caller, account))
                .map(AccountView::of)
                .orElseThrow(() -> notFound(accountId));
    }

    @GetMapping("/{accountId}/entries")
    public StatementPage entries(@PathVariable String accountId,
                                 @RequestParam(defaultValue = "50") int limit,
                                 @RequestParam(required = false) Long before,
                                 Caller caller) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiProblem.badRequest(LedgerProblems.INVALID_PAGE, "limit must be between 1 and " + MAX_PAGE);
        }
        if (before != null && before < 1) {
            throw ApiProblem.badRequest(LedgerProblems.INVALID_PAGE, "before must be a positive entry sequence");
        }
        accounts.find(accountId)
                .filter(account -> LedgerAccess.mayReadStatement(caller, account))
                .orElseThrow(() -> notFound(accountId));
        List<Entry> entries = accounts.statement(accountId, before == null ? Long.MAX_VALUE : before, limit);
        Long nextBefore = entries.size() == limit && entries.get(entries.size() - 1).sequence() > 1
                ? entries.get(entries.size() - 1).sequence() : null;
        return new StatementPage(accountId, entries.stream().map(EntryView::of).toList(), nextBefore);
    }

    private static AccountType accountType(String type) {
        if (type == null) {
            throw ApiProblem.badRequest(LedgerProblems.INVALID_ACCOUNT, "type is required: CUSTOMER or SYSTEM");
        }
        try {
            return AccountType.valueOf(type.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(LedgerProblems.INVALID_ACCOUNT,
                    "type must be CUSTOMER or SYSTEM, got \"" + type + "\"");
        }
    }

    private static ApiProblem notFound(String accountId) {
        return ApiProblem.notFound(LedgerProblems.ACCOUNT_NOT_FOUND, "no account " + accountId);
    }
}
