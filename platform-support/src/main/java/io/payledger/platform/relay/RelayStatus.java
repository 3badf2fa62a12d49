package io.payledger.platform.relay;

import java.time.Instant;

/**
 * What a relay is doing, for readiness: leading and publishing, standing by while another instance
 * leads, refusing to publish (its checkpoint is ahead of the database), or failing (the database or
 * Kafka unreachable, its lock lost). The last two mean nothing this instance writes reaches Kafka.
 */
public record RelayStatus(State state, String detail, Instant since) {

    public enum State {
        STARTING, LEADING, STANDING_BY, REFUSING, FAILING;

        /** Whether the relay, as far as this instance can tell, is healthy. */
        public boolean healthy() {
            return this == STARTING || this == LEADING || this == STANDING_BY;
        }
    }

    static RelayStatus of(State state, String detail) {
        return new RelayStatus(state, detail, Instant.now());
    }
}
