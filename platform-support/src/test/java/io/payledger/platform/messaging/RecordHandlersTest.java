package io.payledger.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payledger.events.FraudDecision;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.schemas.serde.SchemaRegistryUnavailableException;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordHandlersTest {

    private static final SerdeSettings SINGLE_OBJECT = SerdeSettings.singleObjectEncoding();
    /** Nothing listens on port 1: every call to this registry fails to connect. */
    private static final SerdeSettings UNREACHABLE_REGISTRY = SerdeSettings.confluentRegistry(URI.create("http://localhost:1"));

    private final List<Object> handled = new ArrayList<>();

    @Test
    void eachRecordGoesToTheHandlerOfItsType() {
        // Given handlers for both record types of ledger.transactions
        RecordHandlers handlers = new RecordHandlers(SINGLE_OBJECT)
                .on(Topics.LEDGER_TRANSACTIONS, TransactionPosted.class, handled::add)
                .onRecord(Topics.LEDGER_TRANSACTIONS, TransactionDeclined.class,
                        (declined, record) -> handled.add(declined.getReason() + "@" + record.offset()));

        // When a posted and a declined outcome are dispatched
        handlers.dispatch(record(Topics.LEDGER_TRANSACTIONS.name(), 7, encode(posted())));
        handlers.dispatch(record(Topics.LEDGER_TRANSACTIONS.name(), 8, encode(declined())));

        // Then each reached its own handler, the record along where asked for
        assertThat(handled).containsExactly(posted(), "INSUFFICIENT_FUNDS@8");
        assertThat(handlers.topics()).containsExactly(Topics.LEDGER_TRANSACTIONS.name());
    }

    @Test
    void aTypeWithoutAHandlerIsPoison() {
        // Given a handler for posted outcomes only
        RecordHandlers handlers = new RecordHandlers(SINGLE_OBJECT)
                .on(Topics.LEDGER_TRANSACTIONS, TransactionPosted.class, handled::add);

        // When a declined outcome is dispatched, then it is poison and nothing handled it
        assertThatThrownBy(() -> handlers.dispatch(record(Topics.LEDGER_TRANSACTIONS.name(), 0, encode(declined()))))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("unexpected record type io.payledger.events.TransactionDeclined");
        assertThat(handled).isEmpty();
    }

    @Test
    void recordsThatDoNotDecodeOrComeFromAnUnhandledTopicArePoison() {
        // Given handlers for ledger.transactions
        RecordHandlers handlers = new RecordHandlers(SINGLE_OBJECT)
                .on(Topics.LEDGER_TRANSACTIONS, TransactionPosted.class, handled::add);

        // When garbage, a record without value, and a record of another topic are dispatched
        // Then each is poison
        assertThatThrownBy(() -> handlers.dispatch(record(Topics.LEDGER_TRANSACTIONS.name(), 0,
                "garbage".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("does not decode");
        assertThatThrownBy(() -> handlers.dispatch(record(Topics.LEDGER_TRANSACTIONS.name(), 0, null)))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("no value");
        assertThatThrownBy(() -> handlers.dispatch(record(Topics.FRAUD_DECISIONS.name(), 0, encode(posted()))))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("no handler");
        assertThat(handled).isEmpty();
    }

    @Test
    void aRegistryThatCannotBeAskedIsNotTheRecordsFault() {
        // Given handlers decoding with a registry that cannot be reached
        RecordHandlers handlers = new RecordHandlers(UNREACHABLE_REGISTRY)
                .on(Topics.FRAUD_DECISIONS, FraudDecision.class, handled::add);
        byte[] framed = ByteBuffer.allocate(5).put((byte) 0).putInt(42).array();

        // When a record whose schema must be fetched is dispatched, then the outage propagates, not poison
        assertThatThrownBy(() -> handlers.dispatch(record(Topics.FRAUD_DECISIONS.name(), 0, framed)))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .isNotInstanceOf(PoisonRecordException.class);
    }

    @Test
    void registeringATypeTheTopicDoesNotCarryOrTwiceIsRefused() {
        // Given handlers with one registration
        RecordHandlers handlers = new RecordHandlers(SINGLE_OBJECT)
                .on(Topics.LEDGER_TRANSACTIONS, TransactionPosted.class, handled::add);

        // When the same type is registered again, or a type the topic does not carry, then it is refused
        assertThatThrownBy(() -> handlers.on(Topics.LEDGER_TRANSACTIONS, TransactionPosted.class, handled::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
        @SuppressWarnings({"unchecked", "rawtypes"})
        io.payledger.schemas.topic.Topic<String, Object> entries = (io.payledger.schemas.topic.Topic) Topics.LEDGER_ENTRIES;
        assertThatThrownBy(() -> handlers.on(entries, TransactionPosted.class, handled::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not carry");
    }

    private static byte[] encode(Object value) {
        return Topics.LEDGER_TRANSACTIONS.valueSerde(SINGLE_OBJECT).serializer()
                .serialize(Topics.LEDGER_TRANSACTIONS.name(), (org.apache.avro.specific.SpecificRecord) value);
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, long offset, byte[] value) {
        return new ConsumerRecord<>(topic, 0, offset, "alice".getBytes(StandardCharsets.UTF_8), value);
    }

    private static TransactionPosted posted() {
        return TransactionPosted.newBuilder().setEventId("e-1").setOccurredAt(Instant.ofEpochMilli(1))
                .setTransactionId("t-1").setPaymentId("t-1").setSourceAccountId("alice").setDestinationAccountId("bob")
                .setAmountMinor(100).setCurrency("USD").setPostings(List.of()).build();
    }

    private static TransactionDeclined declined() {
        return TransactionDeclined.newBuilder().setEventId("e-2").setOccurredAt(Instant.ofEpochMilli(2))
                .setTransactionId("t-2").setPaymentId("t-2").setSourceAccountId("alice").setDestinationAccountId("bob")
                .setAmountMinor(100).setCurrency("USD").setReason("INSUFFICIENT_FUNDS").build();
    }
}
