package io.payledger.notification.domain;

import java.util.UUID;

/** Each subscription's endpoint as the dispatcher guards it: its circuit breaker's state (CLOSED, OPEN, HALF_OPEN...). */
public interface EndpointStates {

    String breakerState(UUID subscriptionId);

    /** The subscription is deleted: its breaker and bulkhead (and their metrics) go too. */
    void forget(UUID subscriptionId);
}
