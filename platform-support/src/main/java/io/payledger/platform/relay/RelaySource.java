package io.payledger.platform.relay;

/** Committed rows that must reach Kafka, read in commit order. */
public interface RelaySource {

    /**
     * Messages for rows strictly after {@code after}, at most about {@code maxRows} rows, only rows
     * whose writing transaction is older than every transaction still running.
     */
    RelayChunk fetchAfter(RelayPosition after, int maxRows);

    /**
     * How many committed rows lie after {@code after}: written, not yet published. Empty when the source
     * cannot say. Read at metrics scrapes, so one cheap query.
     */
    default java.util.OptionalLong backlogAfter(RelayPosition after) {
        return java.util.OptionalLong.empty();
    }

    /** Everything up to and including {@code upTo} is committed in Kafka; the source may forget it. */
    default void relayed(RelayPosition upTo) {
    }
}
