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

    /**
     * Everything after {@code after} up to and including {@code upTo} is committed in Kafka, and everything
     * before it was earlier: the source may forget it. {@link RelayPosition#START} as {@code after} forgets all
     * up to {@code upTo}, as the relay does when it resumes; a published chunk forgets only its own range, so
     * forgetting costs the chunk, not the rows forgotten before it that the database has not cleaned up yet.
     */
    default void relayed(RelayPosition after, RelayPosition upTo) {
    }
}
