package io.payledger.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.schemas.serde.SchemaRegistryUnavailableException;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TopicReaderTest {

    private static final SerdeSettings SINGLE_OBJECT = SerdeSettings.singleObjectEncoding();
    /** Nothing listens on port 1: every call to this registry fails to connect. */
    private static final SerdeSettings UNREACHABLE_REGISTRY = SerdeSettings.confluentRegistry(URI.create("http://localhost:1"));

    @Test
    void readsAValueInEitherFraming() {
        TopicReader<FraudDecision> reader = new TopicReader<>(Topics.FRAUD_DECISIONS, UNREACHABLE_REGISTRY);

        assertThat(reader.value(record(Topics.FRAUD_DECISIONS.valueSerde(SINGLE_OBJECT).serializer()
                .serialize("t", decision())))).isEqualTo(decision());
    }

    @Test
    void bytesThatDoNotDecodeArePoison() {
        TopicReader<FraudDecision> reader = new TopicReader<>(Topics.FRAUD_DECISIONS, SINGLE_OBJECT);

        assertThatThrownBy(() -> reader.value(record("garbage".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("does not decode");
        assertThatThrownBy(() -> reader.value(record(null)))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("no value");
    }

    @Test
    void aRegistryThatCannotBeAskedIsNotTheRecordsFault() {
        // Given a record in Confluent framing whose schema must be fetched from the registry
        byte[] framed = ByteBuffer.allocate(5).put((byte) 0).putInt(42).array();
        TopicReader<FraudDecision> reader = new TopicReader<>(Topics.FRAUD_DECISIONS, UNREACHABLE_REGISTRY);

        // When the registry cannot be reached, then the failure is left to retry, not called poison
        assertThatThrownBy(() -> reader.value(record(framed)))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .isNotInstanceOf(PoisonRecordException.class);
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return new ConsumerRecord<>(Topics.FRAUD_DECISIONS.name(), 0, 0, "alice".getBytes(StandardCharsets.UTF_8), value);
    }

    private static FraudDecision decision() {
        PaymentInitiated payment = PaymentInitiated.newBuilder().setEventId("e-1").setOccurredAt(Instant.ofEpochMilli(1))
                .setPaymentId("p-1").setSourceAccountId("alice").setDestinationAccountId("bob").setAmountMinor(100)
                .setCurrency("USD").setReference(null).build();
        return FraudDecision.newBuilder().setEventId("d-1").setOccurredAt(Instant.ofEpochMilli(2)).setPaymentId("p-1")
                .setVerdict(FraudVerdict.APPROVED).setReasons(List.of()).setPayment(payment).build();
    }
}
