package io.payledger.notification.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A client's URL that hears about some notification types of some of its accounts. */
public record WebhookSubscription(UUID subscriptionId, String owner, String url, List<String> eventTypes,
                                  List<String> accountIds, String secret, Instant createdAt) {

    public WebhookSubscription {
        eventTypes = List.copyOf(eventTypes);
        accountIds = List.copyOf(accountIds);
    }
}
