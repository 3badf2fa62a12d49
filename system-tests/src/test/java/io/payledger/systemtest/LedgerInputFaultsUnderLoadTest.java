package io.payledger.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault scenarios at the ledger's door, under HTTP and Kafka traffic: every record on its input delivered twice,
 * and a row lock held on a hot account. Neither needs to control processes, so both run against an external stack
 * too (given a database user and a Kafka principal allowed to do it).
 */
class LedgerInputFaultsUnderLoadTest extends SharedStackTest {

    @Test
    void everyRecordOnTheLedgersInputDeliveredTwiceIsPostedOnce() throws Exception {
        // Given funded accounts and payments flowing over HTTP and Kafka
        FaultDrill drill = FaultDrill.prepare(stack, platform, "duplicate ledger input", "CHF",
                FaultDrill.Settings.defaults());
        Faults.DuplicateLedgerInput duplicates = new Faults.DuplicateLedgerInput(stack);

        // When every record of the scenario's window on payments.fraud-decisions is produced a second time, same
        // partition, key, value and headers, as they arrive
        FaultDrill.Result result = drill.run(duplicates);

        // Then the ledger applied each payment once: one outcome per transaction, balances moved once (the drill's
        // checks), having read every copy (its group's lag is zero)
        System.out.printf("DUPLICATES %s: %d records of payments.fraud-decisions produced a second time; %d payments, "
                + "each with one outcome%n", result.scenario(), duplicates.duplicated(), result.payments().size());
        assertThat(duplicates.duplicated()).isGreaterThanOrEqualTo(result.paymentOutcomes().size());
    }

    @Test
    @Tag(SystemTestTags.LONG_FAULT)
    void aRowLockHeldTenSecondsOnAHotAccountDelaysTheLedgerButLosesAndDoublesNothing() throws Exception {
        // Given funded accounts and payments flowing between them, every payment touching two of four accounts
        FaultDrill drill = FaultDrill.prepare(stack, platform, "hot account row lock 10 s", "CHF",
                FaultDrill.Settings.defaults());
        String hot = drill.customers().get(0);
        Faults.RowLock lock = new Faults.RowLock(stack, hot, Duration.ofSeconds(10));

        // When another session holds that account's row in the ledger's books (SELECT ... FOR UPDATE) for 10 s
        FaultDrill.Result result = drill.run(lock);

        // Then nothing is lost and nothing doubled (the drill's checks), and the payments on the hot account that
        // came in meanwhile were posted after the lock went
        System.out.printf("ROWLOCK %s: %s%n", result.scenario(), lock.report());
        long hotPostedDuringLock = result.payments().stream()
                .filter(p -> p.status().equals("POSTED"))
                .filter(p -> p.submission().from().equals(hot) || p.submission().to().equals(hot))
                .filter(p -> p.submission().sentAt().isAfter(result.injectedAt().plusSeconds(1))
                        && p.submission().sentAt().isBefore(result.restoredAt().minusSeconds(1)))
                .count();
        assertThat(hotPostedDuringLock).as("payments on the hot account sent while it was locked, posted").isPositive();
        assertThat(lock.counterDeltas()).as("the ledger's SERIALIZABLE batches never gave up")
                .containsEntry("ledger_transaction_retries_exhausted_total", 0L);
    }
}
