package io.payledger.platform.messaging.progress;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A consumer group of the service and the topics it subscribes to, by name or by pattern; the
 * monitor watches every partition of them, those the group has not committed on yet included. A
 * group subscribed by pattern is watched on every topic whose whole name matches it, as the cluster
 * has them at each check, so a topic created later is watched from the first check after.
 *
 * @param pattern the group's subscription pattern, or null for a group subscribed by name only
 */
public record ConsumedTopics(String group, List<String> topics, Pattern pattern) {

    public ConsumedTopics {
        if (group == null || group.isBlank() || topics == null || (topics.isEmpty() && pattern == null)) {
            throw new IllegalArgumentException("a consumer group and at least one topic or a pattern are required");
        }
        topics = List.copyOf(topics);
    }

    public ConsumedTopics(String group, List<String> topics) {
        this(group, topics, null);
    }

    public ConsumedTopics(String group, String... topics) {
        this(group, List.of(topics));
    }

    /** A group subscribed to every topic whose whole name matches {@code pattern}. */
    public static ConsumedTopics matching(String group, Pattern pattern) {
        return new ConsumedTopics(group, List.of(), java.util.Objects.requireNonNull(pattern, "pattern"));
    }

    /** The topics to watch, given the names of the topics the cluster has. */
    public List<String> topicsAmong(Collection<String> existing) {
        if (pattern == null) {
            return topics;
        }
        return Stream.concat(topics.stream(), existing.stream().filter(name -> pattern.matcher(name).matches()))
                .distinct().sorted().toList();
    }
}
