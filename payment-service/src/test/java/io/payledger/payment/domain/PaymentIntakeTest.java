package io.payledger.payment.domain;

import io.payledger.platform.rules.PaymentRules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PaymentIntakeTest {

    private final FakePaymentStore store = new FakePaymentStore();
    private static final Submitter CLIENT = new Submitter("client-a", false);
    private final Map<String, AccountDirectory.AccountSummary> accounts = new HashMap<>(Map.of(
            "alice", customer("alice", "USD", "client-a"),
            "bob", customer("bob", "USD", "client-b"),
            "eve", customer("eve", "EUR", "client-a"),
            "settlement", new AccountDirectory.AccountSummary("settlement", "USD", AccountDirectory.AccountType.SYSTEM,
                    "operator"),
            "legacy", customer("legacy", "USD", null),
            "strange", new AccountDirectory.AccountSummary("strange", "USD", null, "client-a")));
    /** For each account lookup, the keys claimed while it ran. */
    private final List<Set<String>> claimedDuringLookups = new ArrayList<>();
    private boolean directoryDown;
    private final PaymentIntake intake = new PaymentIntake(store, this::lookUp,
            Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC), UUID::randomUUID);

    private Optional<AccountDirectory.AccountSummary> lookUp(String accountId) {
        claimedDuringLookups.add(Set.copyOf(store.claimed));
        if (directoryDown) {
            throw new AccountDirectoryUnavailableException("ledger down", null);
        }
        return Optional.ofNullable(accounts.get(accountId));
    }

    @Test
    void acceptsAValidRequestAsAPendingPayment() {
        PaymentIntake.Outcome outcome = intake.submit(request("key-1", "alice", "bob", 1_250, "USD"));

        assertThat(outcome.replayed()).isFalse();
        assertThat(outcome.payment().status()).isEqualTo(PaymentStatus.PENDING);
        assertThat(store.payments).hasSize(1);
    }

    @Test
    void theSameKeyWithTheSameRequestReturnsTheFirstPayment() {
        // Given
        Payment first = intake.submit(request("key-1", "alice", "bob", 1_250, "USD")).payment();

        // When
        PaymentIntake.Outcome again = intake.submit(request("key-1", "alice", "bob", 1_250, "USD"));

        // Then
        assertThat(again.replayed()).isTrue();
        assertThat(again.payment().paymentId()).isEqualTo(first.paymentId());
        assertThat(store.payments).hasSize(1);
    }

    @Test
    void theSameKeyWithADifferentRequestIsRefusedAndRecordsNothing() {
        intake.submit(request("key-1", "alice", "bob", 1_250, "USD"));

        assertThatThrownBy(() -> intake.submit(request("key-1", "alice", "bob", 9_999, "USD")))
                .isInstanceOfSatisfying(PaymentRefusedException.class,
                        e -> assertThat(e.refusal()).isEqualTo(PaymentRefusal.IDEMPOTENCY_KEY_REUSED));
        assertThat(store.payments).hasSize(1);
    }

    @Test
    void aKeyInFlightIsRefusedAsInFlightAndRecordsNothing() {
        // Given another request holds the key
        store.claimed.add("client-a/key-1");

        // When / Then
        assertThatThrownBy(() -> intake.submit(request("key-1", "alice", "bob", 1_250, "USD")))
                .isInstanceOfSatisfying(PaymentRefusedException.class,
                        e -> assertThat(e.refusal()).isEqualTo(PaymentRefusal.REQUEST_IN_FLIGHT));
        assertThat(store.payments).isEmpty();
    }

    @Test
    void theAccountsAreLookedUpBeforeTheKeyIsClaimedAndTheClaimIsReleasedAfterwards() {
        // When
        intake.submit(request("key-1", "alice", "bob", 1_250, "USD"));

        // Then both lookups ran while no key was claimed (a lookup takes a pooled connection of its own; one
        // taken under a claim, which holds another, could deadlock the pool), and the claim is gone
        assertThat(claimedDuringLookups).hasSize(2).allSatisfy(claimed -> assertThat(claimed).isEmpty());
        assertThat(store.claimed).isEmpty();
    }

    @Test
    void aPaymentRecordedJustBeforeTheClaimIsReplayedNotRecordedAgain() {
        // Given the first request records its payment after our first look but before our claim
        Payment first = intake.submit(request("key-1", "alice", "bob", 1_250, "USD")).payment();
        store.hideFromFirstLook = true;

        // When
        PaymentIntake.Outcome again = intake.submit(request("key-1", "alice", "bob", 1_250, "USD"));

        // Then
        assertThat(again.replayed()).isTrue();
        assertThat(again.payment().paymentId()).isEqualTo(first.paymentId());
        assertThat(store.payments).hasSize(1);
    }

    @Test
    void aRefusalOrAnUnreadableAccountCopyLeavesNoClaim() {
        // Given a request refused for its accounts, and one whose accounts cannot be checked
        assertRefused(request("key-1", "alice", "nobody", 5, "USD"), PaymentRefusal.UNKNOWN_ACCOUNT);
        directoryDown = true;
        assertThatThrownBy(() -> intake.submit(request("key-2", "alice", "bob", 5, "USD")))
                .isInstanceOf(AccountDirectoryUnavailableException.class);

        // Then neither key is left claimed, and a retry of the key goes through
        assertThat(store.claimed).isEmpty();
        directoryDown = false;
        assertThat(intake.submit(request("key-2", "alice", "bob", 5, "USD")).replayed()).isFalse();
    }

    @Test
    void aPaymentBelongsToTheClientThatSubmittedIt() {
        Payment payment = intake.submit(request("key-1", "alice", "bob", 5, "USD")).payment();

        assertThat(payment.clientId()).isEqualTo("client-a");
    }

    @Test
    void twoClientsUsingTheSameKeyMakeTwoPayments() {
        // Given client A's payment with a key
        Payment first = intake.submit(request("key-1", "alice", "bob", 5, "USD")).payment();

        // When client B uses the same key, paying out of its own account
        PaymentIntake.Outcome second = intake.submit(
                request(new Submitter("client-b", false), "key-1", "bob", "alice", 5, "USD"));

        // Then B gets a payment of its own, not A's replayed or refused as a reused key
        assertThat(second.replayed()).isFalse();
        assertThat(second.payment().paymentId()).isNotEqualTo(first.paymentId());
        assertThat(second.payment().clientId()).isEqualTo("client-b");
        assertThat(store.payments).hasSize(2);
    }

    @Test
    void anotherClientsKeyInFlightDoesNotHoldUpTheSameKeyOfThisClient() {
        // Given client B holds its key-1
        store.claimed.add("client-b/key-1");

        // When client A uses key-1
        PaymentIntake.Outcome outcome = intake.submit(request("key-1", "alice", "bob", 5, "USD"));

        // Then it goes through
        assertThat(outcome.replayed()).isFalse();
    }

    @Test
    void aClientMayNotPayOutOfAnotherClientsAccountAndIsToldExactlyAsForOneThatDoesNotExist() {
        // When client A pays out of B's account, and out of one that does not exist
        PaymentRefusedException foreign = refusal(request("k1", "bob", "alice", 5, "USD"));
        PaymentRefusedException missing = refusal(request("k2", "nobody", "alice", 5, "USD"));

        // Then both are refused alike, and nothing is recorded
        assertThat(foreign.refusal()).isEqualTo(PaymentRefusal.UNKNOWN_ACCOUNT);
        assertThat(foreign.getMessage()).isEqualTo("no account bob you may pay from" + PaymentIntake.NOT_SEEN_YET);
        assertThat(missing.refusal()).isEqualTo(PaymentRefusal.UNKNOWN_ACCOUNT);
        assertThat(missing.getMessage()).isEqualTo("no account nobody you may pay from" + PaymentIntake.NOT_SEEN_YET);
        assertThat(store.payments).isEmpty();
    }

    @Test
    void anotherClientsAccountIsRefusedBeforeItsCurrencyIsTold() {
        // client-b's bob holds USD: paying EUR out of it must not say so
        PaymentRefusedException refused = refusal(request("k1", "bob", "eve", 5, "EUR"));

        assertThat(refused.refusal()).isEqualTo(PaymentRefusal.UNKNOWN_ACCOUNT);
        assertThat(refused.getMessage()).doesNotContain("USD");
    }

    @Test
    void anAccountWithoutOwnerOrOfAnUnknownTypeIsNobodysToPayFrom() {
        assertRefused(request("k1", "legacy", "bob", 5, "USD"), PaymentRefusal.UNKNOWN_ACCOUNT);
        assertRefused(request("k2", "strange", "bob", 5, "USD"), PaymentRefusal.UNKNOWN_ACCOUNT);
        assertThat(store.payments).isEmpty();
    }

    @Test
    void aSystemAccountNeedsASubmitterThatMayFundAndThenNoOwnership() {
        // When a client that may not fund pays out of a SYSTEM account
        PaymentRefusedException refused = refusal(request("k1", "settlement", "alice", 5, "USD"));

        // Then it is refused as needing the funding scope, and nothing is recorded
        assertThat(refused.refusal()).isEqualTo(PaymentRefusal.FUNDING_SCOPE_REQUIRED);
        assertThat(store.payments).isEmpty();

        // When one that may fund does, though the account is not its own
        PaymentIntake.Outcome funded = intake.submit(
                request(new Submitter("funder", true), "k1", "settlement", "alice", 5, "USD"));

        // Then it is accepted, as the funder's payment
        assertThat(funded.payment().clientId()).isEqualTo("funder");
    }

    @Test
    void mayFundingDoesNotOpenAnotherClientsCustomerAccount() {
        assertRefused(request(new Submitter("funder", true), "k1", "alice", "bob", 5, "USD"),
                PaymentRefusal.UNKNOWN_ACCOUNT);
    }

    @Test
    void aKafkaProducerIsToldToFundOverHttp() {
        PaymentRefusedException refused = refusal(new PaymentRequest("k1", "settlement", "alice", 5, "USD", null,
                Channel.KAFKA, "trace", Submitter.producer("client-a")));

        assertThat(refused.refusal()).isEqualTo(PaymentRefusal.FUNDING_SCOPE_REQUIRED);
        assertThat(refused.getMessage()).contains("Kafka");
    }

    @Test
    void refusesBadRequestsBeforeRecordingAnything() {
        assertRefused(request("k1", "alice", "bob", 0, "USD"), PaymentRefusal.INVALID_AMOUNT);
        assertRefused(request("k2", "alice", "bob", -5, "USD"), PaymentRefusal.INVALID_AMOUNT);
        assertRefused(request("k3", "alice", "alice", 5, "USD"), PaymentRefusal.SAME_ACCOUNT);
        assertRefused(request("k4", "alice", "nobody", 5, "USD"), PaymentRefusal.UNKNOWN_ACCOUNT);
        assertRefused(request("k5", "alice", "eve", 5, "USD"), PaymentRefusal.CURRENCY_MISMATCH);
        assertRefused(request("k7", "eve", "alice", 5, "EUR"), PaymentRefusal.CURRENCY_MISMATCH);
        assertRefused(request("k6", "alice", "bob", 5, "XYZ"), PaymentRefusal.INVALID_CURRENCY);
        assertThat(store.payments).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void refusesAMalformedFieldBeforeLookingAnythingUp(String name, PaymentRequest request, PaymentRefusal refusal) {
        // When / Then
        assertThatThrownBy(() -> intake.submit(request))
                .isInstanceOfSatisfying(PaymentRefusedException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(refusal);
                    // The message may echo the value, but never a control character or more than a snippet of it
                    assertThat(e.getMessage()).doesNotContain("\u0000", "\n").hasSizeLessThan(400);
                });
        assertThat(claimedDuringLookups).isEmpty();
        assertThat(store.lookedUpKeys).isEmpty();
        assertThat(store.payments).isEmpty();
    }

    static Stream<Arguments> malformedRequests() {
        return Stream.of(
                Arguments.of("blank key", withKey(" "), PaymentRefusal.INVALID_IDEMPOTENCY_KEY),
                Arguments.of("key of 201 characters", withKey("k".repeat(201)), PaymentRefusal.INVALID_IDEMPOTENCY_KEY),
                Arguments.of("key of 5,000 characters", withKey("k".repeat(5_000)), PaymentRefusal.INVALID_IDEMPOTENCY_KEY),
                Arguments.of("NUL in key", withKey("key\u0000"), PaymentRefusal.INVALID_IDEMPOTENCY_KEY),
                Arguments.of("line break in key", withKey("key\n1"), PaymentRefusal.INVALID_IDEMPOTENCY_KEY),
                Arguments.of("NUL in reference", withReference("rent\u0000"), PaymentRefusal.INVALID_REFERENCE),
                Arguments.of("tab in reference", withReference("rent\tMay"), PaymentRefusal.INVALID_REFERENCE),
                Arguments.of("DEL in reference", withReference("rent\u007f"), PaymentRefusal.INVALID_REFERENCE),
                Arguments.of("broken surrogate in reference", withReference("rent \ud83d"),
                        PaymentRefusal.INVALID_REFERENCE),
                Arguments.of("reference of 141 characters", withReference("r".repeat(141)),
                        PaymentRefusal.INVALID_REFERENCE),
                Arguments.of("NUL in account", new PaymentRequest("key", "alice\u0000", "bob", 5, "USD", null,
                        Channel.KAFKA, "trace", CLIENT), PaymentRefusal.INVALID_ACCOUNT),
                Arguments.of("account of 5,000 characters", new PaymentRequest("key", "alice", "b".repeat(5_000), 5,
                        "USD", null, Channel.KAFKA, "trace", CLIENT), PaymentRefusal.INVALID_ACCOUNT));
    }

    @Test
    void acceptsFieldsAtTheirLimits() {
        // Given a key of 200 characters and a reference of 140 characters, emoji (surrogate pairs) included
        String key = "k".repeat(IdempotencyKeys.MAX_LENGTH);
        String reference = "Miete 05/26 \ud83c\udfe0".repeat(10);
        assertThat(reference).hasSize(PaymentRules.MAX_REFERENCE_LENGTH);

        // When
        PaymentIntake.Outcome outcome = intake.submit(
                new PaymentRequest(key, "alice", "bob", 5, "USD", reference, Channel.HTTP, "trace", CLIENT));

        // Then
        assertThat(outcome.payment().reference()).isEqualTo(reference);
        assertThat(store.payments).containsKey(CLIENT.clientId() + "/" + key);
    }

    private static PaymentRequest withKey(String key) {
        return new PaymentRequest(key, "alice", "bob", 5, "USD", "rent", Channel.KAFKA, "trace", CLIENT);
    }

    private static PaymentRequest withReference(String reference) {
        return new PaymentRequest("key", "alice", "bob", 5, "USD", reference, Channel.HTTP, "trace", CLIENT);
    }

    @Test
    void aBatchAnswersEachRequestAsItWouldAloneAndRecordsTheAcceptedOnesTogether() {
        // Given a payment recorded earlier under key-old
        Payment earlier = intake.submit(request("key-old", "alice", "bob", 100, "USD")).payment();

        // When one batch brings: a valid request, a malformed one, one to an unknown account, key-old again with
        // the same request and with another, and key-new twice, the same request then another
        List<PaymentIntake.Answer> answers = intake.submitAll(List.of(
                request("key-1", "alice", "bob", 1_250, "USD"),
                request("key-2", "alice", "bob", -5, "USD"),
                request("key-3", "alice", "nobody", 5, "USD"),
                request("key-old", "alice", "bob", 100, "USD"),
                request("key-old", "alice", "bob", 999, "USD"),
                request("key-new", "alice", "bob", 7, "USD"),
                request("key-new", "alice", "bob", 7, "USD"),
                request("key-new", "alice", "bob", 8, "USD")));

        // Then each is answered in order as it would have been alone, one after the other
        assertThat(answers.get(0).outcome().replayed()).isFalse();
        assertThat(answers.get(1).refusal().refusal()).isEqualTo(PaymentRefusal.INVALID_AMOUNT);
        assertThat(answers.get(2).refusal().refusal()).isEqualTo(PaymentRefusal.UNKNOWN_ACCOUNT);
        assertThat(answers.get(3).outcome().replayed()).isTrue();
        assertThat(answers.get(3).outcome().payment()).isEqualTo(earlier);
        assertThat(answers.get(4).refusal().refusal()).isEqualTo(PaymentRefusal.IDEMPOTENCY_KEY_REUSED);
        assertThat(answers.get(5).outcome().replayed()).isFalse();
        assertThat(answers.get(6).outcome().replayed()).isTrue();
        assertThat(answers.get(6).outcome().payment()).isEqualTo(answers.get(5).outcome().payment());
        assertThat(answers.get(7).refusal().refusal()).isEqualTo(PaymentRefusal.IDEMPOTENCY_KEY_REUSED);
        // And the two new payments were recorded by one call, in request order, and every key released
        assertThat(store.batchesRecorded).containsExactly(List.of(answers.get(0).outcome().payment(),
                answers.get(5).outcome().payment()));
        assertThat(store.payments).hasSize(3);
        assertThat(store.claimed).isEmpty();
        // And the accounts were read before any key was claimed
        assertThat(claimedDuringLookups).isNotEmpty().allMatch(Set::isEmpty);
    }

    @Test
    void aBatchRefusesAsInFlightOnlyTheRequestWhoseKeyAnotherRequestHolds() {
        // Given another request holding key-busy right now
        try (PaymentStore.KeyClaim busy = store.claim("client-a", "key-busy").orElseThrow()) {

            // When a batch brings key-busy and key-free
            List<PaymentIntake.Answer> answers = intake.submitAll(List.of(
                    request("key-busy", "alice", "bob", 5, "USD"), request("key-free", "alice", "bob", 5, "USD")));

            // Then key-busy is in flight and nothing of it recorded; key-free is accepted
            assertThat(answers.get(0).refusal().refusal()).isEqualTo(PaymentRefusal.REQUEST_IN_FLIGHT);
            assertThat(answers.get(1).accepted()).isTrue();
            assertThat(store.payments).containsOnlyKeys("client-a/key-free");
        }
    }

    @Test
    void aBatchWhoseAccountsCannotBeCheckedRecordsNothing() {
        directoryDown = true;

        assertThatThrownBy(() -> intake.submitAll(List.of(request("key-1", "alice", "bob", 5, "USD"))))
                .isInstanceOf(AccountDirectoryUnavailableException.class);
        assertThat(store.payments).isEmpty();
        assertThat(store.claimed).isEmpty();
    }

    private static AccountDirectory.AccountSummary customer(String id, String currency, String owner) {
        return new AccountDirectory.AccountSummary(id, currency, AccountDirectory.AccountType.CUSTOMER, owner);
    }

    private PaymentRefusedException refusal(PaymentRequest request) {
        try {
            intake.submit(request);
        } catch (PaymentRefusedException e) {
            return e;
        }
        throw new AssertionError("not refused: " + request);
    }

    private void assertRefused(PaymentRequest request, PaymentRefusal refusal) {
        assertThatThrownBy(() -> intake.submit(request))
                .isInstanceOfSatisfying(PaymentRefusedException.class, e -> assertThat(e.refusal()).isEqualTo(refusal));
    }

    private static PaymentRequest request(String key, String from, String to, long amount, String currency) {
        return request(CLIENT, key, from, to, amount, currency);
    }

    private static PaymentRequest request(Submitter submitter, String key, String from, String to, long amount,
                                          String currency) {
        return new PaymentRequest(key, from, to, amount, currency, "rent", Channel.HTTP, "trace", submitter);
    }

    /** In-memory store: enough to exercise the intake's idempotency rules. Keys are "client/key". */
    private static final class FakePaymentStore implements PaymentStore {
        final Map<String, Payment> payments = new HashMap<>();
        final Set<String> claimed = new HashSet<>();
        final List<String> lookedUpKeys = new ArrayList<>();
        /** Makes the look before the claim miss, as when the first request commits in between. */
        boolean hideFromFirstLook;

        @Override
        public Optional<Payment> findByIdempotencyKey(String clientId, String idempotencyKey) {
            String key = clientId + "/" + idempotencyKey;
            lookedUpKeys.add(key);
            return hideFromFirstLook ? Optional.empty() : Optional.ofNullable(payments.get(key));
        }

        @Override
        public Optional<Payment> find(UUID paymentId) {
            return payments.values().stream().filter(p -> p.paymentId().equals(paymentId)).findFirst();
        }

        @Override
        public Optional<KeyClaim> claim(String clientId, String idempotencyKey) {
            String key = clientId + "/" + idempotencyKey;
            if (!claimed.add(key)) {
                return Optional.empty();
            }
            return Optional.of(new KeyClaim() {
                @Override
                public Optional<Payment> recordedPayment() {
                    return Optional.ofNullable(payments.get(key));
                }

                @Override
                public void record(Payment payment) {
                    assertThat(payments.putIfAbsent(key, payment)).as("recorded twice").isNull();
                }

                @Override
                public void close() {
                    claimed.remove(key);
                }
            });
        }

        /** Each batch claim's record call, with the payments it recorded. */
        final List<List<Payment>> batchesRecorded = new ArrayList<>();

        @Override
        public BatchClaim claimAll(java.util.Collection<ClientKey> keys) {
            Set<String> held = new HashSet<>();
            for (ClientKey key : keys) {
                String name = key.clientId() + "/" + key.idempotencyKey();
                if (claimed.add(name)) {
                    held.add(name);
                }
            }
            return new BatchClaim() {
                @Override
                public boolean holds(ClientKey key) {
                    return held.contains(key.clientId() + "/" + key.idempotencyKey());
                }

                @Override
                public Optional<Payment> recordedPayment(ClientKey key) {
                    return Optional.ofNullable(payments.get(key.clientId() + "/" + key.idempotencyKey()));
                }

                @Override
                public void record(List<Payment> recorded) {
                    batchesRecorded.add(recorded);
                    for (Payment payment : recorded) {
                        String name = payment.clientId() + "/" + payment.idempotencyKey();
                        assertThat(held).as("claimed").contains(name);
                        assertThat(payments.putIfAbsent(name, payment)).as("recorded twice").isNull();
                    }
                }

                @Override
                public void close() {
                    claimed.removeAll(held);
                }
            };
        }

        @Override
        public Settled settle(List<Settlement> settlements) {
            throw new UnsupportedOperationException("not used by intake");
        }
    }
}
