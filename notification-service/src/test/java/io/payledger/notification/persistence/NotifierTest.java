package io.payledger.notification.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.payledger.notification.domain.Notice;
import io.payledger.notification.domain.Notification;
import io.payledger.notification.domain.NotificationKind;
import io.payledger.notification.domain.Notifier;
import io.payledger.testsupport.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The notifier on a real database: what is delivered, what is recorded, and that neither happens twice. */
class NotifierTest {

    private static final Duration RETRY_DELAY = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-12-05T08:00:00Z");

    private final TestClock clock = new TestClock(T0);
    private final List<String> sent = new ArrayList<>();
    private final AtomicInteger recordings = new AtomicInteger();
    private boolean receivedFails;
    private JdbiNotificationStore store;
    private Notifier notifier;

    @BeforeEach
    void freshDatabase() {
        store = new JdbiNotificationStore(NotificationDatabase.fresh("notifier"));
        notifier = new Notifier(store, notification -> {
            sent.add(notification.kind() + " " + notification.paymentId());
            if (receivedFails && notification.kind() == NotificationKind.PAYMENT_RECEIVED) {
                throw new IllegalStateException("the payee's channel is down");
            }
        }, clock, RETRY_DELAY, recordings::incrementAndGet);
    }

    @Test
    void aDeliveredNoticeIsRecordedDeliveredAndAFailedOneIsRecordedForRedelivery() {
        // Given a posting whose payee cannot be reached
        receivedFails = true;
        String paymentId = UUID.randomUUID().toString();

        // When its two notices are notified
        notifier.notify(posted(paymentId));

        // Then each was sent once, both are recorded, the payer's delivered and the payee's not
        assertThat(sent).containsExactly("PAYMENT_POSTED " + paymentId, "PAYMENT_RECEIVED " + paymentId);
        assertThat(recordings).hasValue(1);
        assertThat(store.forPayment(paymentId)).extracting(Notification::kind, Notification::deliveredAt)
                .containsExactly(tuple(NotificationKind.PAYMENT_POSTED, Optional.of(T0)),
                        tuple(NotificationKind.PAYMENT_RECEIVED, Optional.empty()));

        // When the channel is back and the retry delay has passed
        receivedFails = false;
        clock.advance(RETRY_DELAY);
        int redelivered = notifier.redeliver(10);

        // Then only the payee's is sent again, and now it is delivered
        assertThat(redelivered).isEqualTo(1);
        assertThat(sent).containsExactly("PAYMENT_POSTED " + paymentId, "PAYMENT_RECEIVED " + paymentId,
                "PAYMENT_RECEIVED " + paymentId);
        assertThat(store.forPayment(paymentId)).allSatisfy(n -> assertThat(n.deliveredAt()).isPresent());
    }

    @Test
    void aReplayedEventIsNeitherSentNorRecordedAgain() {
        // Given a posting notified
        String paymentId = UUID.randomUUID().toString();
        notifier.notify(posted(paymentId));
        List<Notification> recorded = store.forPayment(paymentId);

        // When its event is redelivered, in a batch that also brings the same notices twice over
        clock.advance(Duration.ofSeconds(1));
        List<Notice> replay = new ArrayList<>(posted(paymentId));
        replay.addAll(posted(paymentId));
        notifier.notify(replay);

        // Then nothing more was sent, nothing more recorded, and the recorded ones are unchanged
        assertThat(sent).hasSize(2);
        assertThat(recordings).hasValue(1);
        assertThat(store.forPayment(paymentId)).isEqualTo(recorded);
    }

    private static List<Notice> posted(String paymentId) {
        return List.of(
                Notice.of(paymentId, NotificationKind.PAYMENT_POSTED, "alice", "Your payment is complete.", "event-1"),
                Notice.of(paymentId, NotificationKind.PAYMENT_RECEIVED, "bob", "You received it.", "event-1"));
    }
}
