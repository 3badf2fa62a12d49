package io.payledger.notification.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.notification.domain.ClaimedDelivery;
import io.payledger.notification.domain.DeliveryStatus;
import io.payledger.notification.domain.Notification;
import io.payledger.notification.domain.NotificationKind;
import io.payledger.notification.domain.WebhookDelivery;
import io.payledger.notification.domain.WebhookSubscription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The delivery log on a real database: what is enqueued with a notification, and what a claim takes. */
class JdbiWebhookStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

    private JdbiNotificationStore notifications;
    private JdbiWebhookStore webhooks;

    @BeforeEach
    void freshDatabase() {
        Jdbi jdbi = NotificationDatabase.fresh("webhooks");
        notifications = new JdbiNotificationStore(jdbi);
        webhooks = new JdbiWebhookStore(jdbi);
    }

    @Test
    void aNotificationIsEnqueuedForEachLiveSubscriptionToItsAccountAndTypeOnce() {
        // Given subscriptions: to alice's postings, to alice's acceptances, to bob's postings, and a deleted one
        WebhookSubscription postings = subscribe(List.of("payment.posted"), List.of("alice", "carol"));
        WebhookSubscription acceptances = subscribe(List.of("payment.accepted"), List.of("alice"));
        WebhookSubscription bobs = subscribe(List.of("payment.posted"), List.of("bob"));
        WebhookSubscription deleted = subscribe(List.of("payment.posted"), List.of("alice"));
        webhooks.delete(deleted.subscriptionId(), T0);

        // When a posting to alice is recorded, and recorded again (a replayed event)
        Notification posted = notification("alice", T0);
        assertThat(notifications.recordOnce(posted, T0)).isTrue();
        assertThat(notifications.recordOnce(new Notification(UUID.randomUUID(), posted.paymentId(), posted.kind(),
                "alice", posted.message(), "replay", T0, Optional.empty()), T0)).isFalse();

        // Then only the subscription to alice's postings has a delivery, one, carrying the payload
        assertThat(webhooks.count(postings.subscriptionId(), DeliveryStatus.PENDING)).isEqualTo(1);
        assertThat(webhooks.count(acceptances.subscriptionId(), DeliveryStatus.PENDING)).isZero();
        assertThat(webhooks.count(bobs.subscriptionId(), DeliveryStatus.PENDING)).isZero();
        assertThat(webhooks.count(deleted.subscriptionId(), DeliveryStatus.PENDING)).isZero();
        String payload = webhooks.deliveries(postings.subscriptionId(), DeliveryStatus.PENDING, 10).get(0).payload();
        assertThat(payload).contains("\"id\":\"" + posted.notificationId() + "\"", "\"type\":\"payment.posted\"",
                "\"paymentId\":\"" + posted.paymentId() + "\"", "\"accountId\":\"alice\"");
    }

    @Test
    void aBatchOfNotificationsIsEnqueuedForEachMatchingSubscriptionInTheBatchsOrder() {
        // Given a subscription to alice's and carol's postings, and one to alice's and bob's
        WebhookSubscription alicesAndCarols = subscribe(List.of("payment.posted"), List.of("alice", "carol"));
        WebhookSubscription alicesAndBobs = subscribe(List.of("payment.posted"), List.of("alice", "bob"));

        // When one batch records postings to alice, bob, dave (no subscriber) and alice again
        Notification alices = notification("alice", T0);
        Notification bobs = notification("bob", T0);
        Notification daves = notification("dave", T0);
        Notification alicesSecond = notification("alice", T0);
        notifications.record(List.of(alices, bobs, daves, alicesSecond), List.of(), T0);

        // Then each subscription has a delivery of each of its accounts' postings, in the batch's order, and
        // nobody has dave's
        assertThat(webhooks.deliveries(alicesAndCarols.subscriptionId(), DeliveryStatus.PENDING, 10))
                .extracting(WebhookDelivery::notificationId)
                .containsExactly(alices.notificationId(), alicesSecond.notificationId());
        assertThat(webhooks.deliveries(alicesAndBobs.subscriptionId(), DeliveryStatus.PENDING, 10))
                .extracting(WebhookDelivery::notificationId)
                .containsExactly(alices.notificationId(), bobs.notificationId(), alicesSecond.notificationId());
        assertThat(webhooks.deliveries(alicesAndBobs.subscriptionId(), DeliveryStatus.PENDING, 10).get(1).payload())
                .contains("\"id\":\"" + bobs.notificationId() + "\"", "\"accountId\":\"bob\"");
    }

    @Test
    void aClaimTakesTheEarliestPendingDeliveryOfEachAccountAsALease() {
        // Given two deliveries about alice and one about carol, to one subscription
        WebhookSubscription subscription = subscribe(List.of("payment.posted"), List.of("alice", "carol"));
        Notification first = notification("alice", T0);
        Notification second = notification("alice", T0);
        Notification carols = notification("carol", T0);
        List.of(first, second, carols).forEach(n -> notifications.recordOnce(n, T0));

        // When the dispatcher claims, then it gets alice's first and carol's, not alice's second
        List<ClaimedDelivery> claimed = webhooks.claimDue(T0, T0.plusSeconds(30), 10);
        assertThat(claimed).extracting(c -> c.delivery().notificationId())
                .containsExactly(first.notificationId(), carols.notificationId());
        assertThat(claimed.get(0).url()).isEqualTo(subscription.url());
        assertThat(claimed.get(0).secret()).isEqualTo(subscription.secret());

        // And nothing more while the lease runs, even alice's second: order holds through a failure
        assertThat(webhooks.claimDue(T0.plusSeconds(29), T0.plusSeconds(60), 10)).isEmpty();
        UUID firstDelivery = claimed.get(0).delivery().deliveryId();
        webhooks.markFailed(firstDelivery, 1, "HTTP 500", T0.plusSeconds(40));
        // (carol's lease ran out unanswered, as after a crash: hers is due again; alice's second still waits)
        assertThat(webhooks.claimDue(T0.plusSeconds(35), T0.plusSeconds(65), 10))
                .extracting(c -> c.delivery().notificationId()).containsExactly(carols.notificationId());

        // When alice's first is delivered, then her second is next
        assertThat(webhooks.markDelivered(firstDelivery, 2, T0.plusSeconds(41))).isTrue();
        assertThat(webhooks.claimDue(T0.plusSeconds(41), T0.plusSeconds(71), 10))
                .extracting(c -> c.delivery().notificationId()).containsExactly(second.notificationId());
    }

    @Test
    void aClaimLeavesTheDeliveriesOfEndpointsThatCannotTakeACallAlone() {
        // Given a delivery due to each of two subscriptions
        WebhookSubscription busy = subscribe(List.of("payment.posted"), List.of("alice"));
        WebhookSubscription free = subscribe(List.of("payment.posted"), List.of("alice"));
        Notification posted = notification("alice", T0);
        notifications.recordOnce(posted, T0);

        // When the dispatcher claims, skipping the busy subscription's endpoint
        List<ClaimedDelivery> claimed = webhooks.claimDue(T0, T0.plusSeconds(30), 10, Set.of(busy.subscriptionId()));

        // Then it gets only the free one's; the busy one's is still due, not leased, once the endpoint frees up
        assertThat(claimed).extracting(c -> c.delivery().subscriptionId()).containsExactly(free.subscriptionId());
        assertThat(webhooks.claimDue(T0, T0.plusSeconds(30), 10)).extracting(c -> c.delivery().subscriptionId())
                .containsExactly(busy.subscriptionId());
    }

    @Test
    void concurrentClaimersNeverTakeTheSameDelivery() throws Exception {
        // Given forty due deliveries, one per account
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            accounts.add("acct-" + i);
        }
        subscribe(List.of("payment.posted"), accounts);
        accounts.forEach(account -> notifications.recordOnce(notification(account, T0), T0));

        // When four claimers claim three at a time, all at once, until nothing is left
        List<UUID> claimed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> claimers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                claimers.add(() -> {
                    List<ClaimedDelivery> batch;
                    do {
                        batch = webhooks.claimDue(T0, T0.plusSeconds(30), 3);
                        batch.forEach(c -> claimed.add(c.delivery().deliveryId()));
                    } while (!batch.isEmpty());
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(claimers)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }

        // Then every delivery was claimed, each by one claimer
        assertThat(claimed).hasSize(40).doesNotHaveDuplicates();
    }

    @Test
    void deletingCancelsPendingDeliveriesAndRedriveRevivesOnlyDeadOnes() {
        // Given a subscription with a dead delivery and a pending one about another account
        WebhookSubscription subscription = subscribe(List.of("payment.posted"), List.of("alice", "carol"));
        notifications.recordOnce(notification("alice", T0), T0);
        notifications.recordOnce(notification("carol", T0), T0);
        List<ClaimedDelivery> claimed = webhooks.claimDue(T0, T0.plusSeconds(30), 10);
        UUID dead = claimed.get(0).delivery().deliveryId();
        webhooks.markDead(dead, 8, "HTTP 500", T0.plusSeconds(1));

        // When the dead one is redriven, then it is pending, attempts reset, due now; redriving it again does nothing
        assertThat(webhooks.redrive(subscription.subscriptionId(), dead, T0.plusSeconds(2))).isTrue();
        assertThat(webhooks.delivery(subscription.subscriptionId(), dead).orElseThrow())
                .satisfies(d -> {
                    assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
                    assertThat(d.attempts()).isZero();
                    assertThat(d.nextAttemptAt()).isEqualTo(T0.plusSeconds(2));
                });
        assertThat(webhooks.redrive(subscription.subscriptionId(), dead, T0.plusSeconds(2))).isFalse();

        // When the subscription is deleted, then its pending deliveries are cancelled and none is claimed
        webhooks.delete(subscription.subscriptionId(), T0.plusSeconds(3));
        assertThat(webhooks.count(subscription.subscriptionId(), DeliveryStatus.CANCELLED)).isEqualTo(2);
        assertThat(webhooks.claimDue(T0.plusSeconds(60), T0.plusSeconds(90), 10)).isEmpty();
        assertThat(webhooks.find(subscription.subscriptionId())).isEmpty();
    }

    private WebhookSubscription subscribe(List<String> types, List<String> accounts) {
        WebhookSubscription subscription = new WebhookSubscription(UUID.randomUUID(), "client-a",
                "https://hooks.example.com/" + UUID.randomUUID(), types, accounts, "whsec_" + UUID.randomUUID(), T0);
        webhooks.create(subscription);
        return subscription;
    }

    private static Notification notification(String account, Instant createdAt) {
        return new Notification(UUID.randomUUID(), UUID.randomUUID().toString(), NotificationKind.PAYMENT_POSTED,
                account, "Your payment is complete.", UUID.randomUUID().toString(), createdAt, Optional.empty());
    }
}
