package io.payledger.platform.relay;

import java.time.Duration;

/**
 * @param name          unique per relay; also the Kafka transactional ID, so a new leader fences a zombie
 * @param maxRows       rows per Kafka transaction
 * @param idlePoll      wait between polls when the source had nothing
 * @param retryBackoff  wait after a failure before trying again
 */
public record RelaySettings(String name, int maxRows, Duration idlePoll, Duration retryBackoff) {

    public static RelaySettings defaults(String name) {
        return new RelaySettings(name, 2_000, Duration.ofMillis(20), Duration.ofSeconds(1));
    }
}
