package io.payledger.notification.domain;

import java.util.UUID;

/** The circuit breaker's state of each subscription's endpoint (CLOSED, OPEN, HALF_OPEN...). */
public interface EndpointStates {

    String breakerState(UUID subscriptionId);
}
