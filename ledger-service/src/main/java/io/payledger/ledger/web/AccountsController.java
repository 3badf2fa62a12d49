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
import io.payledger.platform.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "Accounts", description = "Open accounts, read their balances and statements")
public class AccountsController {

    private static final int MAX_PAGE = 500;

    private final Accounts accounts;
    private final Clock clock;

    public AccountsController(Accounts accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    static final String ACCOUNT_ID = "1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit";
    static final String ACCOUNT_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$";

    @Schema(description = "An account to open; it belongs to the caller")
    public record OpenAccountRequest(
            @Schema(types = {"string", "null"}, description = "The account's ID, " + ACCOUNT_ID
                    + "; a UUID is chosen when absent", pattern = ACCOUNT_ID_PATTERN, example = "alice") String accountId,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "ISO 4217 currency code", example = "USD")
            String currency,
            @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"CUSTOMER", "SYSTEM"},
                    description = "CUSTOMER may not go negative; SYSTEM (settlement, funding) may, so opening one "
                            + "needs scope funding or ops as well") String type) {
    }

    /** {@code owner}: the client ID of the client that opened the account; null for one opened before owners. */
    @Schema(description = "An account and its balance", requiredProperties = {"accountId", "currency", "type",
            "balanceMinor", "balance", "version", "createdAt", "owner"})
    public record AccountView(
            String accountId,
            String currency,
            @Schema(allowableValues = {"CUSTOMER", "SYSTEM"}) String type,
            @Schema(description = "The balance in the currency's minor unit (cents)") long balanceMinor,
            @Schema(description = "The balance as a decimal string in the currency's major unit", example = "12.34")
            String balance,
            @Schema(description = "The sequence of the account's latest entry; 0 before any") long version,
            @Schema(format = "date-time") String createdAt,
            @Schema(types = {"string", "null"}, description = "Client ID of the client that opened it; null for an "
                    + "account opened before accounts had owners") String owner) {
        static AccountView of(Account account) {
            return new AccountView(account.accountId(), account.currency(), account.type().name(),
                    account.balanceMinor(), new Money(account.balanceMinor(), account.currency()).toDecimalString(),
                    account.lastSequence(), account.createdAt().toString(), account.owner());
        }
    }

    @Schema(description = "One posting to an account: negative amounts are debits", requiredProperties = {
            "accountId", "sequence", "transactionId", "counterpartyAccountId", "amountMinor", "amount", "currency",
            "balanceAfterMinor", "balanceAfter", "postedAt"})
    public record EntryView(
            String accountId,
            @Schema(description = "The entry's position in the account's statement, from 1") long sequence,
            @Schema(format = "uuid") String transactionId,
            String counterpartyAccountId,
            @Schema(description = "Minor units; negative for a debit") long amountMinor,
            @Schema(description = "Decimal string in the major unit; negative for a debit") String amount,
            String currency,
            long balanceAfterMinor,
            String balanceAfter,
            @Schema(format = "date-time") String postedAt) {
        static EntryView of(Entry entry) {
            return new EntryView(entry.accountId(), entry.sequence(), entry.transactionId().toString(),
                    entry.counterpartyAccountId(),
                    entry.amountMinor(), new Money(entry.amountMinor(), entry.currency()).toDecimalString(),
                    entry.currency(), entry.balanceAfter(),
                    new Money(entry.balanceAfter(), entry.currency()).toDecimalString(), entry.postedAt().toString());
        }
    }

    /** A page of the statement, newest first; pass {@code nextBefore} as {@code before} for the next page. */
    @Schema(requiredProperties = {"accountId", "entries", "nextBefore"})
    public record StatementPage(
            String accountId,
            @Schema(description = "Newest first") List<EntryView> entries,
            @Schema(types = {"integer", "null"}, format = "int64", description = "Pass as before for the next "
                    + "(older) page; null on the last page") Long nextBefore) {
    }

    @PostMapping
    @Operation(operationId = "openAccount", summary = "Open an account",
            description = "The account belongs to the caller (its owner is the caller's client ID) and starts at 0.")
    @ApiResponse(responseCode = "201", description = "Opened", headers = @Header(name = "Location",
            description = "The account's URL, /v1/accounts/{accountId}", schema = @Schema(type = "string")))
    @ProblemResponse(status = 400, types = {LedgerProblems.INVALID_ACCOUNT, LedgerProblems.INVALID_CURRENCY},
            description = "nothing was created; fix the request")
    @ProblemResponse(status = 403, types = LedgerProblems.SYSTEM_ACCOUNT_NEEDS_FUNDING_SCOPE,
            description = "a SYSTEM account without scope funding or ops")
    @ProblemResponse(status = 409, types = LedgerProblems.ACCOUNT_EXISTS, description = "the ID is taken")
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
    @Operation(operationId = "getAccount", summary = "Get an account and its balance",
            description = "Answered to its owner, to operators (ops) and to callers with accounts:lookup; to anyone "
                    + "else it is the same 404 as an account that does not exist.")
    @ApiResponse(responseCode = "200", description = "The account")
    @ProblemResponse(status = 404, types = LedgerProblems.ACCOUNT_NOT_FOUND,
            description = "no such account, or not one the caller may read")
    public AccountView account(@PathVariable String accountId, Caller caller) {
        return accounts.find(accountId)
                .filter(account -> LedgerAccess.mayRead(caller, account))
                .map(AccountView::of)
                .orElseThrow(() -> notFound(accountId));
    }

    @GetMapping("/{accountId}/entries")
    @Operation(operationId = "getStatement", summary = "Page through an account's statement, newest first",
            description = "Answered to the account's owner and to operators only; to anyone else it is the same "
                    + "404 as an account that does not exist.")
    @ApiResponse(responseCode = "200", description = "A page of the statement")
    @ProblemResponse(status = 400, types = LedgerProblems.INVALID_PAGE, description = "limit or before out of range")
    @ProblemResponse(status = 404, types = LedgerProblems.ACCOUNT_NOT_FOUND,
            description = "no such account, or not one the caller may read")
    public StatementPage entries(@PathVariable String accountId,
                                 @Parameter(description = "Entries per page", schema = @Schema(type = "integer",
                                         format = "int32", minimum = "1", maximum = "500", defaultValue = "50"))
                                 @RequestParam(defaultValue = "50") int limit,
                                 @Parameter(description = "Only entries older than this sequence (the previous "
                                         + "page's nextBefore)", schema = @Schema(type = "integer", format = "int64",
                                         minimum = "1"))
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
