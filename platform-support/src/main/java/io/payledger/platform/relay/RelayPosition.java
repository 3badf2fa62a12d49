package io.payledger.platform.relay;

import java.util.Comparator;

/**
 * Where a relay is in its source, in commit order: the PostgreSQL transaction ID (xid8) that wrote a
 * row and the row's ordinal within that transaction. Rows are only read below the oldest running
 * transaction, so nothing can ever commit behind a position once it has been passed.
 */
public record RelayPosition(long transactionId, long ordinal) implements Comparable<RelayPosition> {

    public static final RelayPosition START = new RelayPosition(0, 0);

    private static final Comparator<RelayPosition> ORDER =
            Comparator.comparingLong(RelayPosition::transactionId).thenComparingLong(RelayPosition::ordinal);

    public static RelayPosition parse(String encoded) {
        String[] parts = encoded.split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a relay position: " + encoded);
        }
        return new RelayPosition(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    public String encode() {
        return transactionId + ":" + ordinal;
    }

    @Override
    public int compareTo(RelayPosition other) {
        return ORDER.compare(this, other);
    }
}
