package io.payledger.fraud.messaging;

import io.payledger.fraud.domain.AccountActivity;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** State-store format of {@link AccountActivity}: window start (epoch ms) and count, 16 bytes. */
final class AccountActivitySerde {

    private AccountActivitySerde() {
    }

    static Serde<AccountActivity> serde() {
        Serializer<AccountActivity> serializer = (topic, activity) -> activity == null ? null
                : ByteBuffer.allocate(16).putLong(activity.windowStart().toEpochMilli()).putLong(activity.payments())
                .array();
        Deserializer<AccountActivity> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length != 16) {
                throw new SerializationException("account activity must be 16 bytes, got " + bytes.length);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new AccountActivity(Instant.ofEpochMilli(buffer.getLong()), buffer.getLong());
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
