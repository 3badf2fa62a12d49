package io.payledger.ledger.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PostingEngineTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final PostingEngine engine = new PostingEngine();

    @Test
    void postsAPaymentAsTwoBalancedEntriesWithNextSequences() {
        // Given
        Map<String, Account> accounts = accounts(customer("alice", "USD", 10_000, 4), customer("bob", "USD", 0, 0));
        PaymentInstruction payment = payment("alice", "bob", 2_500, "USD");

        // When
        AppliedBatch batch = engine.apply(List.of(payment), Set.of(), accounts, NOW);

        // Then
        LedgerTransaction tx = batch.transactions().get(0);
        assertThat(tx.isPosted()).isTrue();
        assertThat(tx.entries()).extracting(Entry::accountId, Entry::amountMinor, Entry::sequence, Entry::balanceAfter)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("alice", -2_500L, 5L, 7_500L),
                        org.assertj.core.groups.Tuple.tuple("bob", 2_500L, 1L, 2_500L));
        assertThat(tx.entries().stream().mapToLong(Entry::amountMinor).sum()).isZero();
        assertThat(byId(batch.changedAccounts())).containsEntry("alice", customer("alice", "USD", 7_500, 5))
                .containsEntry("bob", customer("bob", "USD", 2_500, 1));
    }

    @Test
    void declinesACustomerPaymentThatWouldOverdrawAndPostsTheRestOfTheBatch() {
        // Given alice can afford the first payment only
        Map<String, Account> accounts = accounts(customer("alice", "USD", 1_000, 0), customer("bob", "USD", 0, 0));
        PaymentInstruction first = payment("alice", "bob", 800, "USD");
        PaymentInstruction second = payment("alice", "bob", 800, "USD");
        PaymentInstruction back = payment("bob", "alice", 300, "USD");

        // When
        AppliedBatch batch = engine.apply(List.of(first, second, back), Set.of(), accounts, NOW);

        // Then
        assertThat(batch.transactions()).extracting(LedgerTransaction::status)
                .containsExactly(LedgerTransaction.Status.POSTED, LedgerTransaction.Status.DECLINED,
                        LedgerTransaction.Status.POSTED);
        assertThat(batch.transactions().get(1).declineReason()).contains(DeclineReason.INSUFFICIENT_FUNDS);
        assertThat(batch.transactions().get(1).entries()).isEmpty();
        assertThat(byId(batch.changedAccounts()).get("alice").balanceMinor()).isEqualTo(500);
        assertThat(byId(batch.changedAccounts()).get("alice").lastSequence()).isEqualTo(2);
    }

    @Test
    void letsASystemAccountGoNegative() {
        Map<String, Account> accounts = accounts(system("settlement", "EUR"), customer("carol", "EUR", 0, 0));

        AppliedBatch batch = engine.apply(List.of(payment("settlement", "carol", 50_000, "EUR")), Set.of(),
                accounts, NOW);

        assertThat(batch.postedCount()).isEqualTo(1);
        assertThat(byId(batch.changedAccounts()).get("settlement").balanceMinor()).isEqualTo(-50_000);
    }

    @Test
    void skipsPaymentsAlreadyAppliedAndDuplicatesWithinTheBatch() {
        Map<String, Account> accounts = accounts(customer("alice", "USD", 1_000, 0), customer("bob", "USD", 0, 0));
        PaymentInstruction applied = payment("alice", "bob", 100, "USD");
        PaymentInstruction fresh = payment("alice", "bob", 200, "USD");

        AppliedBatch batch = engine.apply(List.of(applied, fresh, fresh), Set.of(applied.transactionId()),
                accounts, NOW);

        assertThat(batch.transactions()).extracting(LedgerTransaction::transactionId)
                .containsExactly(fresh.transactionId());
        assertThat(batch.alreadyApplied()).isEqualTo(2);
        assertThat(byId(batch.changedAccounts()).get("alice").balanceMinor()).isEqualTo(800);
    }

    @Test
    void declinesPaymentsThatBreakTheContractWithoutTouchingAccounts() {
        Map<String, Account> accounts = accounts(customer("alice", "USD", 1_000, 0), customer("eve", "EUR", 0, 0));

        AppliedBatch batch = engine.apply(List.of(
                payment("alice", "nobody", 10, "USD"),
                payment("alice", "eve", 10, "USD"),
                payment("alice", "alice", 10, "USD"),
                payment("alice", "eve", 0, "USD")), Set.of(), accounts, NOW);

        assertThat(batch.transactions()).extracting(tx -> tx.declineReason().orElseThrow()).containsExactly(
                DeclineReason.UNKNOWN_ACCOUNT, DeclineReason.CURRENCY_MISMATCH, DeclineReason.SAME_ACCOUNT,
                DeclineReason.INVALID_AMOUNT);
        assertThat(batch.changedAccounts()).isEmpty();
    }

    @Test
    void neverOverflowsABalance() {
        Map<String, Account> accounts = accounts(system("mint", "USD"),
                customer("whale", "USD", Long.MAX_VALUE - 5, 1));

        AppliedBatch batch = engine.apply(List.of(payment("mint", "whale", 10, "USD")), Set.of(), accounts, NOW);

        assertThat(batch.transactions().get(0).declineReason()).contains(DeclineReason.INVALID_AMOUNT);
    }

    private static PaymentInstruction payment(String from, String to, long amount, String currency) {
        return new PaymentInstruction(UUID.randomUUID(), from, to, amount, currency, null, null);
    }

    private static Account customer(String id, String currency, long balance, long lastSequence) {
        return new Account(id, currency, AccountType.CUSTOMER, balance, lastSequence, Instant.EPOCH);
    }

    private static Account system(String id, String currency) {
        return new Account(id, currency, AccountType.SYSTEM, 0, 0, Instant.EPOCH);
    }

    private static Map<String, Account> accounts(Account... accounts) {
        return byId(List.of(accounts));
    }

    private static Map<String, Account> byId(java.util.Collection<Account> accounts) {
        return accounts.stream().collect(Collectors.toMap(Account::accountId, Function.identity()));
    }
}
