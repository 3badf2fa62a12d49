package io.payledger.platform.relay;

import java.util.List;

/**
 * Messages for whole source rows, in commit order, and the position of the last row they cover.
 * A chunk never splits a row's messages, so a checkpoint at {@code end} is exact.
 */
public record RelayChunk(List<RelayedMessage> messages, RelayPosition end) {

    public static RelayChunk empty(RelayPosition at) {
        return new RelayChunk(List.of(), at);
    }

    public RelayChunk {
        messages = List.copyOf(messages);
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }
}
