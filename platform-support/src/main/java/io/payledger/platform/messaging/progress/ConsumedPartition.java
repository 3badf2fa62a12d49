package io.payledger.platform.messaging.progress;

import org.apache.kafka.common.TopicPartition;

/** One partition as one consumer group reads it. */
public record ConsumedPartition(String group, String topic, int partition) {

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    @Override
    public String toString() {
        return group + " on " + topic + "-" + partition;
    }
}
