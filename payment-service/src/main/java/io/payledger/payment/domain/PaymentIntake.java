package io.payledger.payment.domain;

import io.payledger.platform.money.Money;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Accepts payment requests, each idempotency key at most once: the same key with the same request
 * returns the first payment, with a different request is refused, and while the first is still being
 * recorded is refused as in flight.
 */
public final class PaymentIntake {

    /** The payment, and whether this call created it or found it from an earlier call with the same key. */
    public record Outcome(Payment payment, boolean replayed) {
    }

    static final int MAX_REFERENCE_LENGTH = 140;

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
        var earlier = store.findByIdempotencyKey(request.idempotencyKey());
        if (earlier.isPresent()) {
            return replay(earlier.get(), request);
        }
        validateAccounts(request);
        PaymentStore.CreateResult result = store.create(Payment.accept(request, paymentIds.get(), clock.instant()));
        if (result instanceof PaymentStore.Created created) {
            return new Outcome(created.payment(), false);
        }
        if (result instanceof PaymentStore.KeyTaken taken) {
            return replay(taken.existing(), request);
        }
        throw new PaymentRefusedException(PaymentRefusal.REQUEST_IN_FLIGHT,
                "a request with Idempotency-Key " + request.idempotencyKey() + " is still being processed; retry shortly");
    }

    private static Outcome replay(Payment earlier, PaymentRequest request) {
        if (!earlier.requestFingerprint().equals(request.fingerprint())) {
            throw new PaymentRefusedException(PaymentRefusal.IDEMPOTENCY_KEY_REUSED,
                    "Idempotency-Key " + request.idempotencyKey() + " was already used for a different payment ("
                            + earlier.paymentId() + "); use a new key for a new payment");
        }
        return new Outcome(earlier, true);
    }

    private static void validateShape(PaymentRequest request) {
        if (!Money.isSupportedCurrency(request.currency())) {
            throw new PaymentRefusedException(PaymentRefusal.INVALID_CURRENCY,
                    "currency must be an ISO 4217 code such as \"USD\", got \"" + request.currency() + "\"");
        }
        if (request.reference() != null && request.reference().length() > MAX_REFERENCE_LENGTH) {
            throw new PaymentRefusedException(PaymentRefusal.INVALID_REFERENCE,
                    "reference must be at most " + MAX_REFERENCE_LENGTH + " characters");
        }
        if (request.amountMinor() <= 0) {
            throw new PaymentRefusedException(PaymentRefusal.INVALID_AMOUNT, "amount must be greater than zero");
        }
        if (Objects.equals(request.sourceAccountId(), request.destinationAccountId())) {
            throw new PaymentRefusedException(PaymentRefusal.SAME_ACCOUNT,
                    "source and destination must be different accounts");
        }
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
