package io.payledger.ops;

import static io.payledger.ops.TestLedger.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.ops.TestLedger.Result;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code verify --since} / {@code --from-sequence}: a range of each account's entries, checked with running
 * sums from the entry before the range; what lies before it is taken as it stands.
 */
class VerifyRangeTest {

    private TestLedger books;

    @BeforeEach
    void aLedgerWithOldAndNewEntries() {
        // Given alice's entries #1..#3 posted an hour ago and #4..#5 just now (bob: #1..#2 old, #3..#4 new)
        books = new TestLedger("alice", "bob");
        books.post(payment("bank", "alice", 10_000), payment("alice", "bob", 1_000), payment("alice", "bob", 1_000));
        books.execute("UPDATE entries SET posted_at = posted_at - interval '1 hour'");
        books.post(payment("bob", "alice", 500), payment("alice", "bob", 200));
    }

    @Test
    void aBreachBeforeTheRangeIsNotSeenButTheWholeBookVerifyStillFindsIt() {
        // Given alice's first entry records a wrong running balance (before the range, and not its opening entry)
        books.execute("UPDATE entries SET balance_after = balance_after + 1 WHERE account_id = 'alice' AND sequence = 1");

        // When the operator verifies from sequence #3 on, and what was posted in the last half hour
        Result fromSequence = books.ops("verify", "--from-sequence", "3");
        Result since = books.ops("verify", "--since", Instant.now().minus(30, ChronoUnit.MINUTES).toString());
        Result whole = books.ops("verify");

        // Then the ranges hold (their sums start from the entry just before them) and the whole book does not
        assertThat(fromSequence.exit()).as(fromSequence.output()).isZero();
        assertThat(fromSequence.output()).contains("from sequence #3 on").contains("VERDICT: the books hold")
                .contains("verify took ");
        assertThat(since.exit()).as(since.output()).isZero();
        // alice #4..#5 and bob #3..#4: the two new transactions
        assertThat(since.output()).contains("2 accounts, 2 transactions, 4 entries");
        assertThat(whole.exit()).as(whole.output()).isEqualTo(1);
        assertThat(whole.output()).contains("alice#1 balanceAfter");
    }

    @Test
    void aBreachInsideTheRangeIsFound() {
        // Given alice's newest entry records a wrong running balance, and so does her balance
        books.execute("UPDATE entries SET balance_after = balance_after + 7 WHERE account_id = 'alice' AND sequence = 5");
        books.execute("UPDATE accounts SET balance_minor = balance_minor + 7 WHERE account_id = 'alice'");

        // When the operator verifies either range
        Result fromSequence = books.ops("verify", "--from-sequence", "3");
        Result since = books.ops("verify", "--since", Instant.now().minus(30, ChronoUnit.MINUTES).toString());

        // Then both name alice's entry and balance
        for (Result range : new Result[] {fromSequence, since}) {
            assertThat(range.exit()).as(range.output()).isEqualTo(1);
            assertThat(range.output())
                    .contains("[BREACH] each entry's balanceAfter is the running sum from the entry before the range (1)")
                    .contains("alice#5 balanceAfter 8307 but running sum 8300")
                    .contains("[BREACH] every balance equals its running sum at its last entry (1)")
                    .contains("[BREACH] each transaction in the range balances")
                    .contains("VERDICT: BREACH");
        }
    }

    @Test
    void anEntryMissingInsideTheRangeOrJustBeforeItIsAGap() {
        // Given bob's entry #2 (the one before the last half hour's) and alice's #4 (inside it) were deleted
        books.execute("DELETE FROM entries WHERE account_id = 'bob' AND sequence = 2");
        books.execute("DELETE FROM entries WHERE account_id = 'alice' AND sequence = 4");

        // When the operator verifies the last half hour
        Result since = books.ops("verify", "--since", Instant.now().minus(30, ChronoUnit.MINUTES).toString());

        // Then both gaps are named: the range cannot start from a balance that is not there
        assertThat(since.exit()).as(since.output()).isEqualTo(1);
        assertThat(since.output()).contains("bob range #3..#4 has 2 entries, no entry #2 before it")
                .contains("alice range #5..#5 has 1 entries, no entry #4 before it");
    }

    @Test
    void anEntryInTheRangeWithoutItsTransactionIsFound() {
        // Given the transaction of alice's entry #5 (inside the range) deleted from the journal
        books.execute("DELETE FROM transactions WHERE transaction_id = "
                + "(SELECT transaction_id FROM entries WHERE account_id = 'alice' AND sequence = 5)");

        // When the operator verifies from sequence #3 on
        Result range = books.ops("verify", "--from-sequence", "3");

        // Then the entry's transaction is named as missing
        assertThat(range.exit()).as(range.output()).isEqualTo(1);
        assertThat(range.output()).contains("[BREACH] each transaction in the range balances: its two recorded legs "
                + "are its entries (1)").contains("has entries but no transaction");
    }

    @Test
    void aRangeThatIsNoInstantOrSequenceIsAUsageError() {
        assertThat(books.ops("verify", "--since", "yesterday").exit()).isEqualTo(2);
        assertThat(books.ops("verify", "--from-sequence", "0").exit()).isEqualTo(2);
        assertThat(books.ops("verify", "--everything").exit()).isEqualTo(2);
    }
}
