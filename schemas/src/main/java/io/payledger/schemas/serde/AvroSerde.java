package io.payledger.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The platform's wire format for one topic's values (see "Wire format" in docs/SPEC.md).
 *
 * <ul>
 *   <li>Without a schema registry, values are written in Avro single-object encoding:
 *       {@code C3 01}, the 8-byte little-endian CRC-64-AVRO fingerprint of the record's schema, the
 *       binary body. Writer schemas are resolved from the {@link SchemaHistory} on the classpath.</li>
 *   <li>With a registry, values are written in Confluent framing: {@code 00}, the 4-byte big-endian
 *       schema ID, the body; the topic's value schema is registered under {@code <topic>-value}.</li>
 *   <li>Either way, the reader accepts both, choosing by the first byte, so Confluent's own
 *       deserializer can read our topics and a move between framings loses nothing.</li>
 * </ul>
 */
public final class AvroSerde<V> implements Serde<V> {

    static final byte SINGLE_OBJECT_MAGIC_0 = (byte) 0xC3;
    static final byte SINGLE_OBJECT_MAGIC_1 = (byte) 0x01;
    static final byte CONFLUENT_MAGIC = 0x00;
    private static final int SINGLE_OBJECT_HEADER = 10;
    private static final int CONFLUENT_HEADER = 5;

    private static final Map<SerdeSettings, SchemaRegistryClient> REGISTRIES = new ConcurrentHashMap<>();

    private final TopicValues<V> topic;
    private final SchemaHistory history;
    private final SchemaRegistryClient registry;
    private final Map<Class<?>, SpecificDatumWriter<Object>> recordWriters = new ConcurrentHashMap<>();
    private final Map<Class<?>, Long> fingerprints = new ConcurrentHashMap<>();
    private final SpecificDatumWriter<Object> topicSchemaWriter;
    private final Map<Schema, SpecificDatumReader<V>> readersByWriterSchema = new ConcurrentHashMap<>();
    private final ThreadLocal<ByteArrayOutputStream> buffers = ThreadLocal.withInitial(() -> new ByteArrayOutputStream(256));
    private final ThreadLocal<BinaryEncoder> encoders = new ThreadLocal<>();
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

    public AvroSerde(TopicValues<V> topic, SerdeSettings settings) {
        this(topic, settings, SchemaHistory.of(
                topic.valueRecordTypes().stream().map(SpecificData.get()::getSchema).toList()));
    }

    /** With an explicit history of writer schemas (tests, or readers that know more versions). */
    public AvroSerde(TopicValues<V> topic, SerdeSettings settings, SchemaHistory history) {
        this.topic = topic;
        this.history = history;
        this.registry = settings.schemaRegistryUrl()
                .map(url -> REGISTRIES.computeIfAbsent(settings, s -> new SchemaRegistryClient(url)))
                .orElse(null);
        this.topicSchemaWriter = new SpecificDatumWriter<>(topic.valueSchema());
    }

    @Override
    public Serializer<V> serializer() {
        return (topicName, value) -> value == null ? null : serialize(value);
    }

    @Override
    public Deserializer<V> deserializer() {
        return (topicName, bytes) -> bytes == null ? null : deserialize(bytes);
    }

    /** The wire bytes of {@code value} in the configured framing. */
    public byte[] serialize(V value) {
        if (!(value instanceof SpecificRecord record) || !topic.valueRecordTypes().contains(record.getClass())) {
            throw new SerializationException("topic " + topic.name() + " does not carry "
                    + (value == null ? "null" : value.getClass().getName()) + "; it carries " + topic.valueRecordTypes());
        }
        ByteArrayOutputStream out = buffers.get();
        out.reset();
        try {
            if (registry == null) {
                Class<?> type = record.getClass();
                ByteBuffer header = ByteBuffer.allocate(SINGLE_OBJECT_HEADER).order(ByteOrder.LITTLE_ENDIAN);
                header.put(SINGLE_OBJECT_MAGIC_0).put(SINGLE_OBJECT_MAGIC_1).putLong(fingerprints.computeIfAbsent(
                        type, t -> SchemaHistory.fingerprint(record.getSchema())));
                out.write(header.array());
                writeBody(recordWriters.computeIfAbsent(type, t -> new SpecificDatumWriter<>(record.getSchema())),
                        record, out);
            } else {
                int id = registry.register(topic.name() + "-value", topic.valueSchema());
                out.write(ByteBuffer.allocate(CONFLUENT_HEADER).put(CONFLUENT_MAGIC).putInt(id).array());
                writeBody(topicSchemaWriter, record, out);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException serialization) {
                throw serialization;
            }
            throw new SerializationException("cannot encode " + record.getClass().getSimpleName() + " for topic "
                    + topic.name() + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** The value in {@code bytes}, in either framing. */
    public V deserialize(byte[] bytes) {
        if (bytes.length >= SINGLE_OBJECT_HEADER && bytes[0] == SINGLE_OBJECT_MAGIC_0 && bytes[1] == SINGLE_OBJECT_MAGIC_1) {
            long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            Schema writer = history.byFingerprint(fingerprint).orElseThrow(() -> failure(bytes,
                    "single-object encoding with unknown schema fingerprint " + Long.toHexString(fingerprint)
                            + " (written with a schema this reader does not know)"));
            return decode(bytes, SINGLE_OBJECT_HEADER, writer);
        }
        if (bytes.length >= CONFLUENT_HEADER && bytes[0] == CONFLUENT_MAGIC) {
            if (registry == null) {
                throw failure(bytes, "Confluent framing, but no schema registry is configured (SCHEMA_REGISTRY_URL)");
            }
            int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
            return decode(bytes, CONFLUENT_HEADER, registry.schemaById(id));
        }
        throw failure(bytes, "neither Avro single-object encoding (C3 01) nor Confluent framing (00)");
    }

    private void writeBody(SpecificDatumWriter<Object> writer, Object value, ByteArrayOutputStream out) throws IOException {
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, encoders.get());
        encoders.set(encoder);
        writer.write(value, encoder);
        encoder.flush();
    }

    private V decode(byte[] bytes, int offset, Schema writer) {
        SpecificDatumReader<V> reader = readersByWriterSchema.computeIfAbsent(writer,
                w -> new SpecificDatumReader<>(w, topic.valueSchema()));
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, decoders.get());
        decoders.set(decoder);
        try {
            V value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw failure(bytes, "trailing bytes after the " + writer.getName() + " body");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException serialization) {
                throw serialization;
            }
            throw new SerializationException(message(bytes, "body does not decode as " + writer.getFullName()
                    + ": " + e), e);
        }
    }

    private SerializationException failure(byte[] bytes, String problem) {
        return new SerializationException(message(bytes, problem));
    }

    private String message(byte[] bytes, String problem) {
        int shown = Math.min(bytes.length, 16);
        return "value on " + topic.name() + " is not readable: " + problem + " (" + bytes.length + " bytes, starting "
                + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, shown) + (bytes.length > shown ? " ...)" : ")");
    }
}
