package io.payledger.payment.domain;

import io.payledger.platform.rules.PaymentRules;
import io.payledger.platform.rules.ProducerText;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Accepts payment requests, each idempotency key at most once: the same key with the same request
 * returns the first payment, with a different request is refused, and while the first is still being
 * checked or recorded is refused as in flight. The shape of every field is checked here, once, for
 * every channel, before anything is looked up or stored.
 */
public final class PaymentIntake {

    /** The payment, and whether this call created it or found it from an earlier call with the same key. */
    public record Outcome(Payment payment, boolean replayed) {
    }

    private final PaymentStore store;
    private final AccountDirectory accounts;
    private final Clock clock;
    private final Supplier<UUID> paymentIds;

    public PaymentIntake(PaymentStore store, AccountDirectory accounts, Clock clock, Supplier<UUID> paymentIds) {
        this.store = store;
        this.accounts = accounts;
        this.clock = clock;
        this.paymentIds = paymentIds;
    }

    public Outcome submit(PaymentRequest request) {
        validateShape(request);
        // A retry of a finished request is answered without claiming anything.
        Optional<Payment> earlier = store.findByIdempotencyKey(request.idempotencyKey());
        if (earlier.isPresent()) {
            return replay(earlier.get(), request);
        }
        // Claimed before the account lookups, which can take seconds: a second request with this key
        // meanwhile is told the first is in flight instead of being checked alongside it.
        try (PaymentStore.KeyClaim claim = store.claim(request.idempotencyKey())
                .orElseThrow(() -> inFlight(request))) {
            Optional<Payment> recorded = claim.recordedPayment();
            if (recorded.isPresent()) {
                // The first request finished between our look and our claim.
                return replay(recorded.get(), request);
            }
            validateAccounts(request);
            Payment payment = Payment.accept(request, paymentIds.get(), clock.instant());
            claim.record(payment);
            return new Outcome(payment, false);
        }
    }

    private static PaymentRefusedException inFlight(PaymentRequest request) {
        return new PaymentRefusedException(PaymentRefusal.REQUEST_IN_FLIGHT, "a request with "
                + IdempotencyKeys.nameOn(request.channel()) + " " + request.idempotencyKey()
                + " is still being processed; retry shortly");
    }

    private static Outcome replay(Payment earlier, PaymentRequest request) {
        if (!earlier.requestFingerprint().equals(request.fingerprint())) {
            String keyName = IdempotencyKeys.nameOn(request.channel());
            throw new PaymentRefusedException(PaymentRefusal.IDEMPOTENCY_KEY_REUSED,
                    keyName + " " + request.idempotencyKey() + " was already used for a different payment ("
                            + earlier.paymentId() + "); use a new " + keyName + " for a new payment");
        }
        return new Outcome(earlier, true);
    }

    private static void validateShape(PaymentRequest request) {
        if (!IdempotencyKeys.isValid(request.idempotencyKey())) {
            throw new PaymentRefusedException(PaymentRefusal.INVALID_IDEMPOTENCY_KEY,
                    IdempotencyKeys.nameOn(request.channel()) + " must be " + IdempotencyKeys.RULE + ", got "
                            + ProducerText.quote(request.idempotencyKey()));
        }
        PaymentRules.check(request.sourceAccountId(), request.destinationAccountId(), request.amountMinor(),
                request.currency(), request.reference()).ifPresent(violation -> {
                    throw new PaymentRefusedException(refusalFor(violation.defect()), violation.message());
                });
    }

    private static PaymentRefusal refusalFor(PaymentRules.Defect defect) {
        return switch (defect) {
            case INVALID_ACCOUNT -> PaymentRefusal.INVALID_ACCOUNT;
            case INVALID_CURRENCY -> PaymentRefusal.INVALID_CURRENCY;
            case INVALID_AMOUNT -> PaymentRefusal.INVALID_AMOUNT;
            case INVALID_REFERENCE -> PaymentRefusal.INVALID_REFERENCE;
            case SAME_ACCOUNT -> PaymentRefusal.SAME_ACCOUNT;
            // The intake mints payment IDs itself; it is never given one to check.
            case INVALID_ID, INVALID_REASON -> throw new IllegalStateException("the intake checks neither " + defect);
        };
    }

    private void validateAccounts(PaymentRequest request) {
        for (String accountId : new String[] {request.sourceAccountId(), request.destinationAccountId()}) {
            AccountDirectory.AccountSummary account = accounts.find(accountId).orElseThrow(() ->
                    new PaymentRefusedException(PaymentRefusal.UNKNOWN_ACCOUNT, "account " + accountId + " does not exist"));
            if (!account.currency().equals(request.currency())) {
                throw new PaymentRefusedException(PaymentRefusal.CURRENCY_MISMATCH, "account " + accountId + " holds "
                        + account.currency() + ", not " + request.currency());
            }
        }
    }
}
