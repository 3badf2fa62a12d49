package io.payledger.notification.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A message to the owner of an account about one payment. */
public record Notification(UUID notificationId, String paymentId, NotificationKind kind, String recipientAccountId,
                           String message, String sourceEventId, Instant createdAt, Optional<Instant> deliveredAt) {
}
