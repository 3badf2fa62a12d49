package io.payledger.platform.relay;

/** Committed rows that must reach Kafka, read in commit order. */
public interface RelaySource {

    /**
     * Messages for rows strictly after {@code after}, at most about {@code maxRows} rows, only rows
     * whose writing transaction is older than every transaction still running.
     */
    RelayChunk fetchAfter(RelayPosition after, int maxRows);

    /** Everything up to and including {@code upTo} is committed in Kafka; the source may forget it. */
    default void relayed(RelayPosition upTo) {
    }
}
