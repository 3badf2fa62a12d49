package io.payledger.platform.messaging.progress;

import java.util.List;

/**
 * A consumer group of the service and the topics it subscribes to; the monitor watches every
 * partition of them, those the group has not committed on yet included.
 */
public record ConsumedTopics(String group, List<String> topics) {

    public ConsumedTopics {
        if (group == null || group.isBlank() || topics == null || topics.isEmpty()) {
            throw new IllegalArgumentException("a consumer group and at least one topic are required");
        }
        topics = List.copyOf(topics);
    }

    public ConsumedTopics(String group, String... topics) {
        this(group, List.of(topics));
    }
}
