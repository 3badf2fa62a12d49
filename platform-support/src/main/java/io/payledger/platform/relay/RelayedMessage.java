package io.payledger.platform.relay;

import java.util.Map;

/** One Kafka record to publish: serialized key and value, string headers. */
public record RelayedMessage(String topic, byte[] key, byte[] value, Map<String, String> headers) {

    public RelayedMessage {
        headers = Map.copyOf(headers);
    }
}
