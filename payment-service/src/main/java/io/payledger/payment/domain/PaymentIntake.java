package io.payledger.payment.domain;

import io.payledger.platform.rules.PaymentRules;
import io.payledger.platform.rules.ProducerText;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Accepts payment requests, each client's idempotency key at most once: the same key from the same
 * client with the same request returns the first payment, with a different request is refused, and
 * while the first is still being checked or recorded is refused as in flight. Keys are per client: two
 * clients using the same key make two payments. The shape of every field is checked here, once, for
 * every channel, before anything is looked up or stored.
 *
 * <p>Who may move money out of an account: a CUSTOMER account only by the client that owns it; a
 * SYSTEM account (which may go negative, so paying out of it mints money) only by a submitter that may
 * fund. A source the submitter may not use is refused exactly as one that does not exist.
 */
public final class PaymentIntake {

    /**
     * Said of every account refused as unknown: the copy of the ledger's accounts learns a new account from
     * the ledger's event, so for a moment after opening it the account is unknown here. Refusing it records
     * nothing, and the same request with the same idempotency key is accepted once the event is in.
     */
    public static final String NOT_SEEN_YET = " (an account just opened at the ledger becomes usable here once"
            + " the ledger's event about it arrives, typically well under a second: retry with the same"
            + " Idempotency-Key)";

    /** The payment, and whether this call created it or found it from an earlier call with the same key. */
    public record Outcome(Payment payment, boolean replayed) {
    }

    /** What became of one request of a batch: its outcome, or (outcome null) why it was refused. */
    public record Answer(Outcome outcome, PaymentRefusedException refusal) {

        static Answer of(Outcome outcome) {
            return new Answer(outcome, null);
        }

        static Answer refused(PaymentRefusedException refusal) {
            return new Answer(null, refusal);
        }

        public boolean accepted() {
            return outcome != null;
        }
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
        Optional<Payment> earlier = store.findByIdempotencyKey(request.clientId(), request.idempotencyKey());
        if (earlier.isPresent()) {
            return replay(earlier.get(), request);
        }
        // The accounts are checked before the key is claimed: the check reads the local copy through a
        // connection of its own, and a claim holds one until it ends, so checking inside the claim could
        // leave every pooled connection held by a claim waiting for another (a pool deadlock under load).
        validateAccounts(request, accounts::find);
        try (PaymentStore.KeyClaim claim = store.claim(request.clientId(), request.idempotencyKey())
                .orElseThrow(() -> inFlight(request))) {
            Optional<Payment> recorded = claim.recordedPayment();
            if (recorded.isPresent()) {
                // The first request finished between our look and our claim.
                return replay(recorded.get(), request);
            }
            Payment payment = Payment.accept(request, paymentIds.get(), clock.instant());
            claim.record(payment);
            return new Outcome(payment, false);
        }
    }

    /**
     * Submits a batch (a poll of Kafka commands) as one unit: each request is answered as {@link #submit} would
     * answer it alone, in order, as if one after the other (a key repeated in the batch replays its first
     * request's payment), but the accounts are read with one query and every payment is recorded by one
     * transaction. A request whose key another request holds right now is refused as in flight.
     */
    public List<Answer> submitAll(List<PaymentRequest> requests) {
        Answer[] answers = new Answer[requests.size()];
        List<Integer> wellFormed = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            try {
                validateShape(requests.get(i));
                wellFormed.add(i);
            } catch (PaymentRefusedException e) {
                answers[i] = Answer.refused(e);
            }
        }
        if (!wellFormed.isEmpty()) {
            // Read before the claim, which holds a connection until it ends (see submit).
            Map<String, AccountDirectory.AccountSummary> known = accounts.findAll(wellFormed.stream()
                    .map(requests::get)
                    .flatMap(request -> Stream.of(request.sourceAccountId(), request.destinationAccountId()))
                    .toList());
            try (PaymentStore.BatchClaim claim = store.claimAll(wellFormed.stream()
                    .map(i -> PaymentStore.ClientKey.of(requests.get(i))).collect(Collectors.toSet()))) {
                // In request order: the order their events are published in.
                Map<PaymentStore.ClientKey, Payment> acceptedNow = new LinkedHashMap<>();
                for (int i : wellFormed) {
                    answers[i] = answer(requests.get(i), claim, acceptedNow,
                            accountId -> Optional.ofNullable(known.get(accountId)));
                }
                claim.record(List.copyOf(acceptedNow.values()));
            }
        }
        return List.of(answers);
    }

    private Answer answer(PaymentRequest request, PaymentStore.BatchClaim claim,
                          Map<PaymentStore.ClientKey, Payment> acceptedNow,
                          Function<String, Optional<AccountDirectory.AccountSummary>> accountLookup) {
        PaymentStore.ClientKey key = PaymentStore.ClientKey.of(request);
        try {
            if (!claim.holds(key)) {
                throw inFlight(request);
            }
            Optional<Payment> earlier = claim.recordedPayment(key).or(() -> Optional.ofNullable(acceptedNow.get(key)));
            if (earlier.isPresent()) {
                return Answer.of(replay(earlier.get(), request));
            }
            validateAccounts(request, accountLookup);
            Payment payment = Payment.accept(request, paymentIds.get(), clock.instant());
            acceptedNow.put(key, payment);
            return Answer.of(new Outcome(payment, false));
        } catch (PaymentRefusedException e) {
            return Answer.refused(e);
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

    private static void validateAccounts(PaymentRequest request,
                                         Function<String, Optional<AccountDirectory.AccountSummary>> accounts) {
        // The source first, and whether it may be used before anything about it (its currency) is told.
        requireCurrency(payableSource(request, accounts), request);
        String destinationId = request.destinationAccountId();
        requireCurrency(accounts.apply(destinationId).orElseThrow(() -> new PaymentRefusedException(
                PaymentRefusal.UNKNOWN_ACCOUNT, "account " + destinationId + " does not exist" + NOT_SEEN_YET)), request);
    }

    private static AccountDirectory.AccountSummary payableSource(
            PaymentRequest request, Function<String, Optional<AccountDirectory.AccountSummary>> accounts) {
        String sourceId = request.sourceAccountId();
        Optional<AccountDirectory.AccountSummary> source = accounts.apply(sourceId);
        if (source.isPresent() && source.get().type() == AccountDirectory.AccountType.SYSTEM
                && !request.submitter().mayPayFromSystemAccounts()) {
            throw new PaymentRefusedException(PaymentRefusal.FUNDING_SCOPE_REQUIRED, "account " + sourceId
                    + " is a SYSTEM account, which may go negative: paying out of it mints money, which "
                    + (request.channel() == Channel.KAFKA
                    ? "a Kafka command may not do (no scope travels with it); fund over HTTP instead"
                    : "needs the funding (or ops) scope"));
        }
        return source.filter(account -> mayPayFrom(account, request.submitter())).orElseThrow(() ->
                // Word for word the same whether the account is missing or another client's.
                new PaymentRefusedException(PaymentRefusal.UNKNOWN_ACCOUNT, "no account " + sourceId + " you may pay from" + NOT_SEEN_YET));
    }

    private static boolean mayPayFrom(AccountDirectory.AccountSummary account, Submitter submitter) {
        if (account.type() == null) {
            return false;
        }
        return switch (account.type()) {
            case SYSTEM -> submitter.mayPayFromSystemAccounts();
            case CUSTOMER -> submitter.clientId().equals(account.owner());
        };
    }

    private static void requireCurrency(AccountDirectory.AccountSummary account, PaymentRequest request) {
        if (!account.currency().equals(request.currency())) {
            throw new PaymentRefusedException(PaymentRefusal.CURRENCY_MISMATCH, "account " + account.accountId()
                    + " holds " + account.currency() + ", not " + request.currency());
        }
    }
}
