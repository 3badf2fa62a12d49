package io.payledger.notification.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.notification.domain.InboxEntry;
import io.payledger.notification.domain.Notification;
import io.payledger.notification.domain.NotificationKind;
import io.payledger.notification.domain.PaymentOwner;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redelivery bookkeeping on a real database: when a notification is due, and that a claim is a lease. */
class JdbiNotificationStoreTest {

    private static final Duration RETRY_DELAY = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    private JdbiNotificationStore store;

    @BeforeEach
    void freshDatabase() {
        store = new JdbiNotificationStore(NotificationDatabase.fresh("notifications"));
    }

    @Test
    void aNotificationIsDueForRedeliveryOnlyAfterItsFirstAttemptHadItsChance() {
        // Given a notification recorded at T0, being delivered by the listener
        Notification notification = notification(T0);
        assertThat(store.recordOnce(notification, T0.plus(RETRY_DELAY))).isTrue();

        // Then redelivery leaves it alone until the retry delay has passed
        assertThat(store.claimDue(T0.plusSeconds(29), RETRY_DELAY, 10)).isEmpty();
        assertThat(store.claimDue(T0.plusSeconds(30), RETRY_DELAY, 10))
                .extracting(Notification::notificationId).containsExactly(notification.notificationId());
    }

    @Test
    void aClaimIsALeaseThatBacksOffAndDeliveryEndsIt() {
        // Given an undelivered notification that is due
        Notification notification = notification(T0);
        store.recordOnce(notification, T0);

        // When it is claimed, no second claim gets it until the lease runs out (30 s, then 60 s, doubling)
        Instant now = T0.plusSeconds(1);
        assertThat(store.claimDue(now, RETRY_DELAY, 10)).hasSize(1);
        assertThat(store.claimDue(now, RETRY_DELAY, 10)).isEmpty();
        assertThat(store.claimDue(now.plusSeconds(29), RETRY_DELAY, 10)).isEmpty();
        assertThat(store.claimDue(now.plusSeconds(30), RETRY_DELAY, 10)).hasSize(1);
        assertThat(store.claimDue(now.plusSeconds(30 + 59), RETRY_DELAY, 10)).isEmpty();
        assertThat(store.claimDue(now.plusSeconds(30 + 60), RETRY_DELAY, 10)).hasSize(1);

        // When it is delivered, it is never due again
        store.markDelivered(notification.notificationId(), now.plusSeconds(91));
        assertThat(store.claimDue(now.plus(1, ChronoUnit.DAYS), RETRY_DELAY, 10)).isEmpty();
    }

    @Test
    void oneNotificationThatKeepsFailingDoesNotHoldUpTheOthers() {
        // Given a notification that has failed (and been claimed) before another one fell due
        Notification failing = notification(T0);
        store.recordOnce(failing, T0);
        store.claimDue(T0, RETRY_DELAY, 1);
        Notification next = notification(T0.plusSeconds(1));
        store.recordOnce(next, T0.plusSeconds(1));

        // When redelivery claims one at a time, then the next one is not stuck behind the failing one
        assertThat(store.claimDue(T0.plusSeconds(2), RETRY_DELAY, 1))
                .extracting(Notification::notificationId).containsExactly(next.notificationId());
    }

    @Test
    void eachPaymentAndKindIsRecordedOnce() {
        Notification first = notification(T0);
        Notification again = new Notification(UUID.randomUUID(), first.paymentId(), first.kind(),
                first.recipientAccountId(), first.message(), "another-event", T0.plusSeconds(5), Optional.empty());

        assertThat(store.recordOnce(first, T0)).isTrue();
        assertThat(store.recordOnce(again, T0)).isFalse();
        assertThat(store.forPayment(first.paymentId())).extracting(Notification::notificationId)
                .containsExactly(first.notificationId());
    }

    @Test
    void aPaymentsOwnerIsRecordedWithItsAcceptanceAndNeverChangedByAReplay() {
        // Given a payment accepted for client A
        Notification accepted = accepted(T0);
        assertThat(store.recordAcceptance(accepted, "client-a", T0)).isTrue();

        // When the acceptance is delivered again, naming another client
        Notification replayed = new Notification(UUID.randomUUID(), accepted.paymentId(), accepted.kind(),
                accepted.recipientAccountId(), accepted.message(), "another-event", T0.plusSeconds(5), Optional.empty());
        assertThat(store.recordAcceptance(replayed, "client-b", T0)).isFalse();

        // Then the payment is still A's, with one acceptance notification
        assertThat(store.ownerOf(accepted.paymentId())).contains("client-a");
        assertThat(store.forPayment(accepted.paymentId())).extracting(Notification::notificationId)
                .containsExactly(accepted.notificationId());
    }

    @Test
    void aPaymentWithoutAKnownClientHasNoOwner() {
        // Given a payment accepted before payments had owners, and one never seen
        Notification legacy = accepted(T0);
        store.recordAcceptance(legacy, null, T0);

        // Then neither has an owner
        assertThat(store.ownerOf(legacy.paymentId())).isEmpty();
        assertThat(store.ownerOf(UUID.randomUUID().toString())).isEmpty();
        assertThat(store.forPayment(legacy.paymentId())).hasSize(1);
    }

    @Test
    void anAccountsInboxIsItsOwnNotificationsNewestFirstBeforeTheCursor() {
        // Given three notifications to alice and one to bob, interleaved
        Notification first = to("alice", NotificationKind.PAYMENT_POSTED);
        Notification toBob = to("bob", NotificationKind.PAYMENT_RECEIVED);
        Notification second = to("alice", NotificationKind.PAYMENT_RECEIVED);
        Notification third = to("alice", NotificationKind.PAYMENT_ACCEPTED);
        for (Notification n : List.of(first, toBob, second, third)) {
            store.recordOnce(n, T0);
        }

        // Then alice's inbox is hers only, newest first, with growing positions
        List<InboxEntry> inbox = store.inbox("alice", Long.MAX_VALUE, 10);
        assertThat(inbox).extracting(entry -> entry.notification().notificationId())
                .containsExactly(third.notificationId(), second.notificationId(), first.notificationId());
        assertThat(inbox).extracting(InboxEntry::position).isSortedAccordingTo(Comparator.reverseOrder());

        // And a page stops at the limit, and before is exclusive
        assertThat(store.inbox("alice", Long.MAX_VALUE, 2)).extracting(entry -> entry.notification().notificationId())
                .containsExactly(third.notificationId(), second.notificationId());
        assertThat(store.inbox("alice", inbox.get(1).position(), 10))
                .extracting(entry -> entry.notification().notificationId()).containsExactly(first.notificationId());
        assertThat(store.inbox("alice", inbox.get(2).position(), 10)).isEmpty();
        assertThat(store.inbox("carol", Long.MAX_VALUE, 10)).isEmpty();
    }

    @Test
    void aPaymentsNotificationsRecordedAtTheSameInstantListInTheOrderRecorded() {
        // Given a posting told to the payer and then the payee at the same instant
        Notification posted = notification(T0);
        Notification received = new Notification(UUID.randomUUID(), posted.paymentId(),
                NotificationKind.PAYMENT_RECEIVED, "bob", "You received it.", posted.sourceEventId(), T0,
                Optional.empty());
        store.recordOnce(posted, T0);
        store.recordOnce(received, T0);
        // (delivering the first rewrites its row, after the second's)
        store.markDelivered(posted.notificationId(), T0);

        // Then they list in the order recorded
        assertThat(store.forPayment(posted.paymentId())).extracting(Notification::kind)
                .containsExactly(NotificationKind.PAYMENT_POSTED, NotificationKind.PAYMENT_RECEIVED);
    }

    @Test
    void aBatchRecordsEachNewNotificationOnceInOrderWithItsOwnersAndReportsWhichItRecorded() {
        // Given a payment whose posting was notified earlier
        Notification earlier = notification(T0);
        store.recordOnce(earlier, T0.plus(RETRY_DELAY));

        // When one batch brings an acceptance with its owner, that same acceptance again (a redelivered record in
        // the same poll), the earlier posting again, and a payee's notification, with times to the microsecond
        Instant at = T0.plusNanos(123_456_000);
        Notification accepted = accepted(at);
        Notification acceptedAgain = new Notification(UUID.randomUUID(), accepted.paymentId(), accepted.kind(),
                "alice", accepted.message(), accepted.sourceEventId(), at, Optional.empty());
        Notification postedAgain = new Notification(UUID.randomUUID(), earlier.paymentId(), earlier.kind(), "alice",
                earlier.message(), earlier.sourceEventId(), at, Optional.empty());
        Notification received = to("bob", NotificationKind.PAYMENT_RECEIVED);
        List<Notification> recorded = store.record(List.of(accepted, acceptedAgain, postedAgain, received),
                List.of(new PaymentOwner(accepted.paymentId(), "client-a"),
                        new PaymentOwner(accepted.paymentId(), "client-b")), T0.plus(RETRY_DELAY));

        // Then only the first of each payment and kind new to the store is recorded, reported in order
        assertThat(recorded).containsExactly(accepted, received);
        assertThat(store.forPayment(accepted.paymentId())).containsExactly(accepted);
        assertThat(store.forPayment(earlier.paymentId())).containsExactly(earlier);
        // And the acceptance's first owner is the payment's
        assertThat(store.ownerOf(accepted.paymentId())).contains("client-a");
        // And both new ones are due for redelivery after the delay, not before, until marked delivered together
        assertThat(store.claimDue(T0.plusSeconds(29), RETRY_DELAY, 10)).isEmpty();
        store.markDelivered(List.of(accepted.notificationId(), received.notificationId()), T0.plusSeconds(1));
        assertThat(store.claimDue(T0.plusSeconds(31), RETRY_DELAY, 10)).extracting(Notification::notificationId)
                .containsExactly(earlier.notificationId());
    }

    @Test
    void whatABatchWouldRecordIsKnownBeforeAndADeliveredOneIsRecordedDeliveredAndNeverDue() {
        // Given a payment whose posting was recorded earlier
        Notification earlier = notification(T0);
        store.recordOnce(earlier, T0);

        // When a batch brings an acceptance, that acceptance again, and the earlier posting again
        Notification accepted = accepted(T0);
        Notification acceptedAgain = new Notification(UUID.randomUUID(), accepted.paymentId(), accepted.kind(),
                "alice", accepted.message(), accepted.sourceEventId(), T0, Optional.empty());
        Notification postedAgain = new Notification(UUID.randomUUID(), earlier.paymentId(), earlier.kind(), "alice",
                earlier.message(), earlier.sourceEventId(), T0, Optional.empty());
        List<Notification> unrecorded = store.unrecorded(List.of(accepted, acceptedAgain, postedAgain));

        // Then only the acceptance's first is unrecorded, and the store is unchanged by asking
        assertThat(unrecorded).containsExactly(accepted);
        assertThat(store.forPayment(accepted.paymentId())).isEmpty();

        // When it is recorded as delivered a microsecond-exact instant after its creation
        Instant deliveredAt = T0.plusNanos(7_000);
        Notification delivered = new Notification(accepted.notificationId(), accepted.paymentId(), accepted.kind(),
                accepted.recipientAccountId(), accepted.message(), accepted.sourceEventId(), T0,
                Optional.of(deliveredAt));
        assertThat(store.record(List.of(delivered), List.of(), T0)).containsExactly(delivered);

        // Then it reads back delivered then, is never due for redelivery, and is no longer unrecorded
        assertThat(store.forPayment(accepted.paymentId())).containsExactly(delivered);
        assertThat(store.claimDue(T0.plus(1, ChronoUnit.DAYS), RETRY_DELAY, 10))
                .extracting(Notification::notificationId).containsExactly(earlier.notificationId());
        assertThat(store.unrecorded(List.of(acceptedAgain))).isEmpty();
    }

    private static Notification to(String accountId, NotificationKind kind) {
        return new Notification(UUID.randomUUID(), UUID.randomUUID().toString(), kind, accountId, "A message.",
                UUID.randomUUID().toString(), T0, Optional.empty());
    }

    private static Notification accepted(Instant createdAt) {
        return new Notification(UUID.randomUUID(), UUID.randomUUID().toString(), NotificationKind.PAYMENT_ACCEPTED,
                "alice", "Your payment is being processed.", UUID.randomUUID().toString(), createdAt, Optional.empty());
    }

    private static Notification notification(Instant createdAt) {
        return new Notification(UUID.randomUUID(), UUID.randomUUID().toString(), NotificationKind.PAYMENT_POSTED,
                "alice", "Your payment is complete.", UUID.randomUUID().toString(), createdAt, Optional.empty());
    }
}
