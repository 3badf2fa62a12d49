package io.payledger.platform.relay;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of a service's transactional relays (component {@code relays}): DOWN, with the relay and
 * the reason, when one refuses to publish (its checkpoint is ahead of the database: an operator must
 * act) or has been failing for longer than {@link #FAILING_GRACE} (database or Kafka unreachable, its
 * lock lost), since what this instance writes then reaches no one. A relay standing by while another
 * instance leads is healthy. A service without relays is UP.
 */
public final class RelaysHealthIndicator implements HealthIndicator {

    /** A relay retries a failure every few seconds; only one that persists takes readiness down. */
    static final Duration FAILING_GRACE = Duration.ofSeconds(30);

    private final List<TransactionalRelay> relays;
    private final Clock clock;

    public RelaysHealthIndicator(List<TransactionalRelay> relays, Clock clock) {
        this.relays = List.copyOf(relays);
        this.clock = clock;
    }

    @Override
    public Health health() {
        boolean down = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (TransactionalRelay relay : relays) {
            RelayStatus status = relay.status();
            boolean failingTooLong = status.state() == RelayStatus.State.FAILING
                    && Duration.between(status.since(), clock.instant()).compareTo(FAILING_GRACE) > 0;
            down |= status.state() == RelayStatus.State.REFUSING || failingTooLong;
            details.put(relay.name(), Map.of("state", status.state().name(), "detail", status.detail(),
                    "since", status.since().toString()));
        }
        return (down ? Health.down() : Health.up()).withDetails(details).build();
    }
}
