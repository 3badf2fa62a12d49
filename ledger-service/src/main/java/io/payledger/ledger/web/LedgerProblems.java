package io.payledger.ledger.web;

/** Problem types of the ledger API. */
final class LedgerProblems {

    static final String INVALID_ACCOUNT = "invalid-account";
    static final String INVALID_CURRENCY = "invalid-currency";
    static final String INVALID_PAGE = "invalid-page";
    static final String ACCOUNT_EXISTS = "account-exists";
    static final String ACCOUNT_NOT_FOUND = "account-not-found";
    /** Opening a SYSTEM account (it may go negative: money is minted from it) needs scope funding or ops. */
    static final String SYSTEM_ACCOUNT_NEEDS_FUNDING_SCOPE = "system-account-needs-funding-scope";
    static final String TRANSACTION_NOT_FOUND = "transaction-not-found";

    private LedgerProblems() {
    }
}
