package io.payledger.ledger.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.ledger.domain.Account;
import io.payledger.ledger.domain.AccountType;
import io.payledger.platform.security.Caller;
import io.payledger.platform.security.Scopes;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who reads which of the books, and who opens what, decided from the caller's client ID and scopes alone. */
class LedgerAccessTest {

    private static final Account OF_A = Account.open("a-usd", "USD", AccountType.CUSTOMER, "client-a", Instant.EPOCH);
    private static final Account OF_NOBODY = new Account("old-usd", "USD", AccountType.CUSTOMER, 0, 0, Instant.EPOCH);

    private static final Caller A = new Caller("client-a", Set.of(Scopes.ACCOUNTS_READ));
    private static final Caller B = new Caller("client-b", Set.of(Scopes.ACCOUNTS_READ));
    private static final Caller OPS = new Caller("operator", Set.of(Scopes.OPS));
    private static final Caller LOOKUP = new Caller("payment-service", Set.of(Scopes.ACCOUNTS_READ, Scopes.ACCOUNTS_LOOKUP));

    @Test
    void theOwnerAndOperatorsReadAnAccountAndItsStatementOthersNeither() {
        assertThat(LedgerAccess.mayRead(A, OF_A)).isTrue();
        assertThat(LedgerAccess.mayReadStatement(A, OF_A)).isTrue();
        assertThat(LedgerAccess.mayRead(OPS, OF_A)).isTrue();
        assertThat(LedgerAccess.mayReadStatement(OPS, OF_A)).isTrue();
        assertThat(LedgerAccess.mayRead(B, OF_A)).isFalse();
        assertThat(LedgerAccess.mayReadStatement(B, OF_A)).isFalse();
    }

    @Test
    void aLookupClientReadsAnyAccountButNoStatementEvenWithAccountsRead() {
        assertThat(LedgerAccess.mayRead(LOOKUP, OF_A)).isTrue();
        assertThat(LedgerAccess.mayReadStatement(LOOKUP, OF_A)).isFalse();
    }

    @Test
    void anAccountFromBeforeOwnersIsOnlyForOperators() {
        assertThat(LedgerAccess.mayRead(OPS, OF_NOBODY)).isTrue();
        assertThat(LedgerAccess.mayReadStatement(OPS, OF_NOBODY)).isTrue();
        assertThat(LedgerAccess.mayRead(A, OF_NOBODY)).isFalse();
        assertThat(LedgerAccess.mayReadStatement(A, OF_NOBODY)).isFalse();
    }

    @Test
    void aSystemAccountNeedsFundingOrOps() {
        assertThat(LedgerAccess.mayOpen(A, AccountType.CUSTOMER)).isTrue();
        assertThat(LedgerAccess.mayOpen(A, AccountType.SYSTEM)).isFalse();
        assertThat(LedgerAccess.mayOpen(new Caller("treasury", Set.of(Scopes.FUNDING)), AccountType.SYSTEM)).isTrue();
        assertThat(LedgerAccess.mayOpen(OPS, AccountType.SYSTEM)).isTrue();
    }
}
