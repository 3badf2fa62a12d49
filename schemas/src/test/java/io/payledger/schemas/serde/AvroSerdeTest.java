package io.payledger.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.payledger.commands.InitiatePayment;
import io.payledger.events.EntryPosted;
import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.events.Posting;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.schemas.topic.Topic;
import io.payledger.schemas.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:15:30.123Z");
    private static final SerdeSettings SINGLE_OBJECT = SerdeSettings.singleObjectEncoding();

    private FakeSchemaRegistry registry;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = new FakeSchemaRegistry();
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void everyTopicsValuesRoundTripInSingleObjectEncoding() {
        assertRoundTrip(Topics.paymentCommands("acme"), command(), SINGLE_OBJECT);
        assertRoundTrip(Topics.PAYMENTS_INITIATED, initiated(), SINGLE_OBJECT);
        assertRoundTrip(Topics.FRAUD_DECISIONS, decision(), SINGLE_OBJECT);
        assertRoundTrip(Topics.LEDGER_TRANSACTIONS, posted(), SINGLE_OBJECT);
        assertRoundTrip(Topics.LEDGER_TRANSACTIONS, declined(), SINGLE_OBJECT);
        assertRoundTrip(Topics.LEDGER_ENTRIES, entry(), SINGLE_OBJECT);
    }

    @Test
    void singleObjectEncodingStartsWithItsMagicAndTheSchemaFingerprint() {
        byte[] bytes = Topics.PAYMENTS_INITIATED.valueSerde(SINGLE_OBJECT).serializer().serialize("t", initiated());

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong())
                .isEqualTo(SchemaHistory.fingerprint(PaymentInitiated.getClassSchema()));
    }

    @Test
    void withARegistryValuesAreWrittenInConfluentFramingAndRegisteredUnderTheTopicValueSubject() {
        SerdeSettings confluent = SerdeSettings.confluentRegistry(registry.url());

        byte[] bytes = Topics.PAYMENTS_INITIATED.valueSerde(confluent).serializer().serialize("t", initiated());

        assertThat(bytes[0]).isEqualTo((byte) 0x00);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(registry.subjects).containsEntry("payments.initiated-value", id);
        assertRoundTrip(Topics.PAYMENTS_INITIATED, initiated(), confluent);
    }

    @Test
    void aMultiTypeTopicRegistersItsUnionAndReturnsTheConcreteRecord() {
        SerdeSettings confluent = SerdeSettings.confluentRegistry(registry.url());
        var serde = Topics.LEDGER_TRANSACTIONS.valueSerde(confluent);

        SpecificRecord readPosted = serde.deserializer().deserialize("t", serde.serializer().serialize("t", posted()));
        SpecificRecord readDeclined = serde.deserializer().deserialize("t", serde.serializer().serialize("t", declined()));

        assertThat(readPosted).isEqualTo(posted());
        assertThat(readDeclined).isEqualTo(declined());
        assertThat(registry.schemas.values()).singleElement()
                .satisfies(schema -> assertThat(schema).startsWith("[").contains("TransactionPosted", "TransactionDeclined"));
    }

    @Test
    void readersAcceptBothFramingsWhenARegistryIsConfigured() {
        SerdeSettings confluent = SerdeSettings.confluentRegistry(registry.url());
        byte[] singleObject = Topics.FRAUD_DECISIONS.valueSerde(SINGLE_OBJECT).serializer().serialize("t", decision());
        byte[] framed = Topics.FRAUD_DECISIONS.valueSerde(confluent).serializer().serialize("t", decision());

        var reader = Topics.FRAUD_DECISIONS.valueSerde(confluent).deserializer();

        assertThat(reader.deserialize("t", singleObject)).isEqualTo(decision());
        assertThat(reader.deserialize("t", framed)).isEqualTo(decision());
    }

    @Test
    void aReaderWithoutARegistryRefusesConfluentFramingClearly() {
        byte[] framed = Topics.FRAUD_DECISIONS.valueSerde(SerdeSettings.confluentRegistry(registry.url()))
                .serializer().serialize("t", decision());

        assertThatThrownBy(() -> Topics.FRAUD_DECISIONS.valueSerde(SINGLE_OBJECT).deserializer().deserialize("t", framed))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("payments.fraud-decisions")
                .hasMessageContaining("no schema registry is configured");
    }

    @Test
    void aRegistryThatCannotAnswerIsATransientFailureNotABadRecord() {
        // Given a record in Confluent framing under a schema ID this process has not seen yet
        registry.schemas.put(77, Topics.FRAUD_DECISIONS.valueSchema().toString());
        byte[] singleObject = Topics.FRAUD_DECISIONS.valueSerde(SINGLE_OBJECT).serializer().serialize("t", decision());
        byte[] framed = ByteBuffer.allocate(5 + singleObject.length - 10).put((byte) 0).putInt(77)
                .put(singleObject, 10, singleObject.length - 10).array();
        var freshReader = Topics.FRAUD_DECISIONS.valueSerde(SerdeSettings.confluentRegistry(registry.url())).deserializer();

        // When the registry fails, then reading is a failure to retry; once it answers, the record reads
        registry.failing = true;
        assertThatThrownBy(() -> freshReader.deserialize("t", framed))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining("HTTP 503");
        registry.failing = false;
        assertThat(freshReader.deserialize("t", framed)).isEqualTo(decision());

        // And a registry that cannot be reached at all is as transient
        var unreachable = Topics.FRAUD_DECISIONS.valueSerde(SerdeSettings.confluentRegistry(URI.create("http://localhost:1")))
                .deserializer();
        assertThatThrownBy(() -> unreachable.deserialize("t", framed)).isInstanceOf(SchemaRegistryUnavailableException.class);
    }

    @Test
    void aSchemaIdTheRegistryDoesNotKnowIsTheRecordsFault() {
        byte[] framed = Topics.FRAUD_DECISIONS.valueSerde(SerdeSettings.confluentRegistry(registry.url()))
                .serializer().serialize("t", decision());
        ByteBuffer.wrap(framed).putInt(1, 999);

        assertThatThrownBy(() -> Topics.FRAUD_DECISIONS.valueSerde(SerdeSettings.confluentRegistry(registry.url()))
                .deserializer().deserialize("t", framed))
                .isInstanceOf(SerializationException.class)
                .isNotInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void dataWrittenWithAnOlderPublishedVersionIsReadWithDefaults() throws IOException {
        // Given a PaymentInitiated written by a producer on an older schema without `reference`
        Schema older = new Schema.Parser().parse("""
                {"type":"record","name":"PaymentInitiated","namespace":"io.payledger.events","fields":[
                  {"name":"eventId","type":"string"},
                  {"name":"occurredAt","type":{"type":"long","logicalType":"timestamp-millis"}},
                  {"name":"paymentId","type":"string"},
                  {"name":"sourceAccountId","type":"string"},
                  {"name":"destinationAccountId","type":"string"},
                  {"name":"amountMinor","type":"long"},
                  {"name":"currency","type":"string"}]}""");
        GenericRecord old = new GenericData.Record(older);
        old.put("eventId", "e-1");
        old.put("occurredAt", AT.toEpochMilli());
        old.put("paymentId", "p-1");
        old.put("sourceAccountId", "alice");
        old.put("destinationAccountId", "bob");
        old.put("amountMinor", 1234L);
        old.put("currency", "USD");
        byte[] bytes = singleObject(older, old);

        // When the current reader knows that version
        AvroSerde<PaymentInitiated> serde = new AvroSerde<>(Topics.PAYMENTS_INITIATED, SINGLE_OBJECT,
                SchemaHistory.of(List.of(PaymentInitiated.getClassSchema(), older)));
        PaymentInitiated read = serde.deserialize(bytes);

        // Then the missing field takes its default
        assertThat(read.getPaymentId()).isEqualTo("p-1");
        assertThat(read.getAmountMinor()).isEqualTo(1234L);
        assertThat(read.getReference()).isNull();
    }

    @Test
    void malformedValuesAreRefusedWithAnErrorNamingTheTopicAndTheProblem() {
        var reader = Topics.PAYMENTS_INITIATED.valueSerde(SINGLE_OBJECT).deserializer();
        byte[] valid = Topics.PAYMENTS_INITIATED.valueSerde(SINGLE_OBJECT).serializer().serialize("t", initiated());
        byte[] unknownFingerprint = valid.clone();
        unknownFingerprint[5] ^= 0x55;
        byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 3);

        assertThatThrownBy(() -> reader.deserialize("t", new byte[0]))
                .isInstanceOf(SerializationException.class).hasMessageContaining("payments.initiated");
        assertThatThrownBy(() -> reader.deserialize("t", "{\"json\":true}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("neither Avro single-object");
        assertThatThrownBy(() -> reader.deserialize("t", unknownFingerprint))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown schema fingerprint");
        assertThatThrownBy(() -> reader.deserialize("t", truncated))
                .isInstanceOf(SerializationException.class).hasMessageContaining("does not decode");
    }

    @Test
    void aTopicRefusesToWriteARecordTypeItDoesNotCarry() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Topic<String, SpecificRecord> wrong = (Topic) Topics.PAYMENTS_INITIATED;

        assertThatThrownBy(() -> wrong.valueSerde(SINGLE_OBJECT).serializer().serialize("t", entry()))
                .isInstanceOf(SerializationException.class).hasMessageContaining("does not carry");
    }

    private static <V> void assertRoundTrip(Topic<String, V> topic, V value, SerdeSettings settings) {
        var serde = topic.valueSerde(settings);
        assertThat(serde.deserializer().deserialize(topic.name(), serde.serializer().serialize(topic.name(), value)))
                .isEqualTo(value);
    }

    private static byte[] singleObject(Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xC3, 0x01});
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(SchemaHistory.fingerprint(schema)).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    static InitiatePayment command() {
        return InitiatePayment.newBuilder().setCommandId("c-1").setSourceAccountId("alice").setDestinationAccountId("bob")
                .setAmountMinor(1234).setCurrency("USD").setReference("rent").setRequestedAt(AT).build();
    }

    static PaymentInitiated initiated() {
        return PaymentInitiated.newBuilder().setEventId("e-1").setOccurredAt(AT).setPaymentId("p-1")
                .setSourceAccountId("alice").setDestinationAccountId("bob").setAmountMinor(1234).setCurrency("USD")
                .setReference(null).build();
    }

    static FraudDecision decision() {
        return FraudDecision.newBuilder().setEventId("e-2").setOccurredAt(AT).setPaymentId("p-1")
                .setVerdict(FraudVerdict.REJECTED).setReasons(List.of("AMOUNT_OVER_LIMIT")).setPayment(initiated()).build();
    }

    static TransactionPosted posted() {
        return TransactionPosted.newBuilder().setEventId("e-3").setOccurredAt(AT).setTransactionId("p-1").setPaymentId("p-1")
                .setSourceAccountId("alice").setDestinationAccountId("bob").setAmountMinor(1234).setCurrency("USD")
                .setPostings(List.of(
                        Posting.newBuilder().setAccountId("alice").setAmountMinor(-1234).setSequence(7).setBalanceAfter(0).build(),
                        Posting.newBuilder().setAccountId("bob").setAmountMinor(1234).setSequence(1).setBalanceAfter(1234).build()))
                .build();
    }

    static TransactionDeclined declined() {
        return TransactionDeclined.newBuilder().setEventId("e-4").setOccurredAt(AT).setTransactionId("p-2").setPaymentId("p-2")
                .setSourceAccountId("alice").setDestinationAccountId("bob").setAmountMinor(99).setCurrency("USD")
                .setReason("INSUFFICIENT_FUNDS").build();
    }

    static EntryPosted entry() {
        return EntryPosted.newBuilder().setEventId("e-5").setOccurredAt(AT).setAccountId("bob").setSequence(1)
                .setTransactionId("p-1").setPaymentId("p-1").setCounterpartyAccountId("alice").setAmountMinor(1234)
                .setCurrency("USD").setBalanceAfter(1234).build();
    }

    /** Just enough of the Confluent Schema Registry REST API: register under a subject, fetch by ID. */
    static final class FakeSchemaRegistry implements AutoCloseable {
        private static final Pattern SCHEMA_FIELD = Pattern.compile("\\{\\s*\"schema\"\\s*:\\s*(\".*\")\\s*}", Pattern.DOTALL);
        final Map<String, Integer> subjects = new ConcurrentHashMap<>();
        final Map<Integer, String> schemas = new ConcurrentHashMap<>();
        private final AtomicInteger nextId = new AtomicInteger(1);
        private final HttpServer server;
        /** While set, every call answers 503, as a registry that is restarting or overloaded does. */
        volatile boolean failing;

        FakeSchemaRegistry() throws IOException {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.createContext("/subjects/", exchange -> {
                String subject = exchange.getRequestURI().getPath().split("/")[2];
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Matcher matcher = SCHEMA_FIELD.matcher(body);
                if (!matcher.matches()) {
                    respond(exchange, 422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}");
                    return;
                }
                String schema = new com.fasterxml.jackson.databind.ObjectMapper().readValue(matcher.group(1), String.class);
                int id = schemas.entrySet().stream().filter(e -> e.getValue().equals(schema)).map(Map.Entry::getKey)
                        .findFirst().orElseGet(() -> {
                            int fresh = nextId.getAndIncrement();
                            schemas.put(fresh, schema);
                            return fresh;
                        });
                subjects.put(subject, id);
                respond(exchange, 200, "{\"id\":" + id + "}");
            });
            server.createContext("/schemas/ids/", exchange -> {
                if (failing) {
                    respond(exchange, 503, "{\"error_code\":50003,\"message\":\"Error while forwarding\"}");
                    return;
                }
                int id = Integer.parseInt(exchange.getRequestURI().getPath().substring("/schemas/ids/".length()));
                String schema = schemas.get(id);
                if (schema == null) {
                    respond(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
                } else {
                    respond(exchange, 200, new com.fasterxml.jackson.databind.ObjectMapper()
                            .writeValueAsString(Map.of("schema", schema)));
                }
            });
            server.start();
        }

        URI url() {
            return URI.create("http://localhost:" + server.getAddress().getPort());
        }

        private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
