package io.payledger.notification.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** One notification on its way to one subscription. */
public record WebhookDelivery(UUID deliveryId, long position, UUID subscriptionId, String accountId,
                              UUID notificationId, String eventType, String payload, DeliveryStatus status,
                              int attempts, Instant nextAttemptAt, Optional<String> lastError, Instant createdAt,
                              Optional<Instant> deliveredAt, Optional<Instant> deadAt) {
}
