package io.payledger.ledger.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The bookkeeping rules, free of any I/O: applies payments in order against account states, as
 * balanced double-entry transactions, declining those that break a rule. One payment's decline does
 * not affect the others in the batch.
 */
public final class PostingEngine {

    /**
     * @param payments       in the order they must apply (per source account, the order they were made)
     * @param alreadyApplied transaction IDs the books already hold; these are skipped, never re-applied
     * @param accounts       current state of every existing account the payments mention
     */
    public AppliedBatch apply(List<PaymentInstruction> payments, Set<UUID> alreadyApplied,
                              Map<String, Account> accounts, Instant now) {
        Map<String, Account> state = new LinkedHashMap<>(accounts);
        Set<String> changed = new HashSet<>();
        Set<UUID> seen = new HashSet<>(alreadyApplied);
        List<LedgerTransaction> applied = new ArrayList<>();
        int skipped = 0;
        for (PaymentInstruction payment : payments) {
            if (!seen.add(payment.transactionId())) {
                skipped++;
                continue;
            }
            Account source = state.get(payment.sourceAccountId());
            Account destination = state.get(payment.destinationAccountId());
            Optional<DeclineReason> refusal = refusal(payment, source, destination);
            if (refusal.isPresent()) {
                applied.add(LedgerTransaction.declined(payment, refusal.get(), now));
                continue;
            }
            Account debited = source.post(-payment.amountMinor());
            Account credited = destination.post(payment.amountMinor());
            state.put(debited.accountId(), debited);
            state.put(credited.accountId(), credited);
            changed.add(debited.accountId());
            changed.add(credited.accountId());
            Entry debit = new Entry(debited.accountId(), debited.lastSequence(), payment.transactionId(),
                    credited.accountId(), -payment.amountMinor(), payment.currency(), debited.balanceMinor(), now);
            Entry credit = new Entry(credited.accountId(), credited.lastSequence(), payment.transactionId(),
                    debited.accountId(), payment.amountMinor(), payment.currency(), credited.balanceMinor(), now);
            applied.add(LedgerTransaction.posted(payment, debit, credit, now));
        }
        Collection<Account> changedAccounts = state.values().stream()
                .filter(account -> changed.contains(account.accountId())).toList();
        return new AppliedBatch(applied, changedAccounts, skipped);
    }

    /** Why an instruction that breaks the platform's payment rules is declined, before any account is read. */
    public static Optional<DeclineReason> invalidity(PaymentInstruction payment) {
        return payment.violation().map(violation -> switch (violation.defect()) {
            case INVALID_AMOUNT -> DeclineReason.INVALID_AMOUNT;
            case SAME_ACCOUNT -> DeclineReason.SAME_ACCOUNT;
            default -> DeclineReason.INVALID_INSTRUCTION;
        });
    }

    private static Optional<DeclineReason> refusal(PaymentInstruction payment, Account source, Account destination) {
        Optional<DeclineReason> invalid = invalidity(payment);
        if (invalid.isPresent()) {
            return invalid;
        }
        if (source == null || destination == null) {
            return Optional.of(DeclineReason.UNKNOWN_ACCOUNT);
        }
        if (!source.currency().equals(payment.currency()) || !destination.currency().equals(payment.currency())) {
            return Optional.of(DeclineReason.CURRENCY_MISMATCH);
        }
        if (!source.canDebit(payment.amountMinor())) {
            return Optional.of(DeclineReason.INSUFFICIENT_FUNDS);
        }
        if (overflows(source.balanceMinor(), -payment.amountMinor())
                || overflows(destination.balanceMinor(), payment.amountMinor())) {
            return Optional.of(DeclineReason.INVALID_AMOUNT);
        }
        return Optional.empty();
    }

    private static boolean overflows(long balance, long delta) {
        long result = balance + delta;
        return ((balance ^ result) & (delta ^ result)) < 0;
    }
}
