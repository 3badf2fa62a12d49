package io.payledger.examples.balance;

import static io.payledger.examples.balance.Entries.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payledger.events.EntryPosted;
import org.junit.jupiter.api.Test;

class AccountBalancesTest {

    private final AccountBalances balances = new AccountBalances();

    @Test
    void anEntryReadTwiceCountsOnceAndIsReportedAsADuplicate() {
        // Given an account's entries 1 and 2, then entry 2 again (a replay), then entry 3
        balances.apply(entry("alice", 1, 10_000, 10_000));
        balances.apply(entry("alice", 2, -2_500, 7_500));
        balances.apply(entry("alice", 2, -2_500, 7_500));
        balances.apply(entry("alice", 3, -500, 7_000));

        // Then the repeat is reported and not counted, and no gap is
        assertThat(balances.balances()).containsExactly(new AccountBalances.Balance("alice", "USD", 7_000, 3));
        assertThat(balances.duplicates()).containsExactly(new AccountBalances.Duplicate("alice", 2, "alice-2"));
        assertThat(balances.gaps()).isEmpty();
    }

    @Test
    void missingSequencesAreReportedAsOneGapPerHole() {
        // Given an account whose first entry read is 3, and whose next after 4 is 7
        balances.apply(entry("bob", 3, 100, 100));
        balances.apply(entry("bob", 4, 100, 200));
        balances.apply(entry("bob", 7, 100, 500));

        // Then the holes are 1-2 and 5-6, and the balance is what was read
        assertThat(balances.gaps()).containsExactly(
                new AccountBalances.Gap("bob", 1, 2), new AccountBalances.Gap("bob", 5, 6));
        assertThat(balances.balances()).containsExactly(new AccountBalances.Balance("bob", "USD", 300, 7));
    }

    @Test
    void anEntryInAnotherCurrencyThanItsAccountsIsRefusedAndNotCounted() {
        // Given an account in USD
        balances.apply(entry("carol", 1, 100, 100));
        EntryPosted inEuros = EntryPosted.newBuilder(entry("carol", 2, 50, 150)).setCurrency("EUR").build();

        // When an entry in EUR arrives for it, then it is refused and the account is unchanged
        assertThatThrownBy(() -> balances.apply(inEuros)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("account carol is in USD, its entry 2 in EUR");
        assertThat(balances.balances()).containsExactly(new AccountBalances.Balance("carol", "USD", 100, 1));
    }

    @Test
    void aBalanceBeyondSixtyFourBitsIsRefusedRatherThanWrappedAround() {
        // Given an account at the largest balance a long holds
        balances.apply(entry("dave", 1, Long.MAX_VALUE, Long.MAX_VALUE));

        // When one more minor unit arrives, then it is refused
        assertThatThrownBy(() -> balances.apply(entry("dave", 2, 1, 0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overflow");
        assertThat(balances.balances()).containsExactly(new AccountBalances.Balance("dave", "USD", Long.MAX_VALUE, 1));
    }
}
