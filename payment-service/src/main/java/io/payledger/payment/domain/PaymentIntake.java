package io.payledger.payment.domain;

import io.payledger.platform.ids.AccountIds;
import io.payledger.platform.money.Money;
import java.time.Clock;
import java.util.Objects;
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
        validateAccountId("sourceAccountId", request.sourceAccountId());
        validateAccountId("destinationAccountId", request.destinationAccountId());
        if (!Money.isSupportedCurrency(request.currency())) {
            throw new PaymentRefusedException(PaymentRefusal.INVALID_CURRENCY,
                    "currency must be an ISO 4217 code such as \"USD\", got " + ProducerText.quote(request.currency()));
        }
        validateReference(request.reference());
        if (request.amountMinor() <= 0) {
            throw new PaymentRefusedException(PaymentRefusal.INVALID_AMOUNT, "amount must be greater than zero");
        }
        if (Objects.equals(request.sourceAccountId(), request.destinationAccountId())) {
            throw new PaymentRefusedException(PaymentRefusal.SAME_ACCOUNT,
                    "source and destination must be different accounts");
        }
    }

    private static void validateAccountId(String field, String accountId) {
        if (!AccountIds.isValid(accountId)) {
            throw new PaymentRefusedException(PaymentRefusal.INVALID_ACCOUNT, field + " "
                    + ProducerText.quote(accountId) + " is not an account ID: expected " + AccountIds.RULE);
        }
    }

    private static void validateReference(String reference) {
        if (reference == null) {
            return;
        }
        if (reference.length() > MAX_REFERENCE_LENGTH) {
            throw new PaymentRefusedException(PaymentRefusal.INVALID_REFERENCE,
                    "reference must be at most " + MAX_REFERENCE_LENGTH + " characters, got " + reference.length());
        }
        if (!ProducerText.isPrintable(reference)) {
            throw new PaymentRefusedException(PaymentRefusal.INVALID_REFERENCE,
                    "reference must be printable text, without control characters (NUL, tab, line breaks) or "
                            + "broken Unicode, got " + ProducerText.quote(reference));
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
