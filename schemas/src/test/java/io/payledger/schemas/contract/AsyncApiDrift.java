package io.payledger.schemas.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.payledger.schemas.serde.SchemaHistory;
import io.payledger.schemas.topic.DeadLetterHeaders;
import io.payledger.schemas.topic.Topic;
import io.payledger.schemas.topic.Topics;
import io.payledger.schemas.topic.TraceHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Compares an AsyncAPI document with what the code says about the topics: the {@link Topics} registry, the
 * Avro schemas the platform writes, the key serdes and the header names. Every difference is one line of
 * {@link #problems()}, naming the channel or topic and what to change.
 */
final class AsyncApiDrift {

    static final String AVRO_SCHEMA_FORMAT = "application/vnd.apache.avro;version=1.9.0";
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final String EXAMPLE_PRODUCER = "acme";

    private final JsonNode document;
    private final Path documentDirectory;
    private final List<String> problems = new ArrayList<>();

    private AsyncApiDrift(JsonNode document, Path documentDirectory) {
        this.document = document;
        this.documentDirectory = documentDirectory;
    }

    static JsonNode read(Path yaml) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + yaml, e);
        }
    }

    /** What differs between the document (file {@code $ref}s resolved against {@code documentDirectory}) and the code. */
    static List<String> problems(JsonNode document, Path documentDirectory) {
        AsyncApiDrift drift = new AsyncApiDrift(document, documentDirectory);
        drift.check();
        return List.copyOf(drift.problems);
    }

    private void check() {
        if (!document.path("asyncapi").asText().startsWith("3.")) {
            problems.add("the document is not AsyncAPI 3 (asyncapi: " + document.path("asyncapi").asText() + ")");
        }
        checkLocalReferences(document, "");
        Set<String> documented = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> channels = document.path("channels").fields();
        while (channels.hasNext()) {
            Map.Entry<String, JsonNode> channel = channels.next();
            for (String topicName : topicNames(channel.getKey(), channel.getValue())) {
                documented.add(topicName);
                checkChannel(channel.getKey(), topicName, channel.getValue());
            }
        }
        for (String required : topicsMeantForUsers()) {
            if (!documented.contains(required)) {
                problems.add("topic " + required + " (Topics registry) is not documented: add a channel for it");
            }
        }
    }

    /**
     * Every topic a user produces to or consumes: the topics of fixed name, one producer's payment commands
     * (as its example producer), and the dead-letter topic of each.
     */
    static Set<String> topicsMeantForUsers() {
        Set<String> names = new LinkedHashSet<>();
        List<Topic<String, ?>> topics = new ArrayList<>(Topics.all());
        topics.add(Topics.paymentCommands(EXAMPLE_PRODUCER));
        for (Topic<String, ?> topic : topics) {
            names.add(topic.name());
            names.add(topic.deadLetterTopic());
        }
        return names;
    }

    /** The concrete topic names a channel's address stands for: one per enum value, or its first example. */
    private List<String> topicNames(String channelId, JsonNode channel) {
        String address = channel.path("address").asText(null);
        if (address == null) {
            problems.add("channel " + channelId + " has no address");
            return List.of();
        }
        List<String> names = new ArrayList<>(List.of(address));
        Matcher parameter = PARAMETER.matcher(address);
        while (parameter.find()) {
            String name = parameter.group(1);
            JsonNode declared = channel.path("parameters").path(name);
            List<String> values = new ArrayList<>();
            declared.path("enum").forEach(value -> values.add(value.asText()));
            if (values.isEmpty() && declared.path("examples").size() > 0) {
                values.add(declared.path("examples").get(0).asText());
            }
            if (values.isEmpty()) {
                problems.add("channel " + channelId + ": parameter {" + name + "} has neither enum nor examples");
                return List.of();
            }
            List<String> expanded = new ArrayList<>();
            for (String partial : names) {
                for (String value : values) {
                    expanded.add(partial.replace("{" + name + "}", value));
                }
            }
            names = expanded;
        }
        return names;
    }

    private void checkChannel(String channelId, String topicName, JsonNode channel) {
        String where = "channel " + channelId + " (" + topicName + ")";
        var topic = Topics.byName(topicName);
        if (topic.isPresent()) {
            checkValuesAndKeys(where, topic.get(), channel);
            return;
        }
        boolean deadLetters = topicName.endsWith(Topics.DEAD_LETTER_SUFFIX) && Topics.byName(
                topicName.substring(0, topicName.length() - Topics.DEAD_LETTER_SUFFIX.length())).isPresent();
        if (!deadLetters) {
            problems.add(where + " documents a topic the Topics registry does not know: remove it, or add it "
                    + "to io.payledger.schemas.topic.Topics");
            return;
        }
        checkDeadLetters(where, channel);
    }

    private void checkValuesAndKeys(String where, Topic<String, ?> topic, JsonNode channel) {
        Map<String, Schema> expected = new LinkedHashMap<>();
        topic.valueRecordTypes().forEach(type -> {
            Schema schema = SpecificData.get().getSchema(type);
            expected.put(schema.getFullName(), schema);
        });
        Map<String, Schema> documented = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> messages = channel.path("messages").fields();
        while (messages.hasNext()) {
            Map.Entry<String, JsonNode> entry = messages.next();
            String message = where + " message " + entry.getKey();
            JsonNode resolved = resolve(entry.getValue());
            Schema schema = avroPayload(message, resolved.path("payload"));
            if (schema == null) {
                continue;
            }
            documented.put(schema.getFullName(), schema);
            Schema actual = expected.get(schema.getFullName());
            if (actual == null) {
                problems.add(message + " is " + schema.getFullName() + ", which " + topic.name()
                        + " does not carry; it carries " + expected.keySet());
                continue;
            }
            if (!actual.equals(schema)) {
                problems.add(message + ": its schema (fingerprint " + Long.toHexString(SchemaHistory.fingerprint(schema))
                        + ") is not the " + schema.getFullName() + " the platform writes (fingerprint "
                        + Long.toHexString(SchemaHistory.fingerprint(actual)) + "): reference the latest "
                        + "avro-history/" + schema.getFullName() + "/v<N>.avsc");
            }
            checkKey(message, topic, resolved, actual);
            checkEventHeaders(message, topic, resolved);
        }
        for (String missing : expected.keySet()) {
            if (!documented.containsKey(missing)) {
                problems.add(where + " does not document " + missing + ", which the topic carries");
            }
        }
    }

    /** The Avro schema a message's payload references, or null (and a problem) if it is not one. */
    private Schema avroPayload(String message, JsonNode payload) {
        if (!AVRO_SCHEMA_FORMAT.equals(payload.path("schemaFormat").asText())) {
            problems.add(message + ": payload schemaFormat is not " + AVRO_SCHEMA_FORMAT);
            return null;
        }
        String reference = payload.path("schema").path("$ref").asText(null);
        if (reference == null) {
            problems.add(message + ": payload schema is not a $ref to an .avsc file");
            return null;
        }
        Path file = documentDirectory.resolve(reference).normalize();
        try {
            return new Schema.Parser().parse(Files.readString(file));
        } catch (IOException e) {
            problems.add(message + ": cannot read " + reference + " (" + file + "): " + e);
        } catch (RuntimeException e) {
            problems.add(message + ": " + reference + " is not a self-contained Avro schema: " + e.getMessage());
        }
        return null;
    }

    private void checkKey(String message, Topic<String, ?> topic, JsonNode resolved, Schema value) {
        JsonNode key = resolve(resolved.path("bindings").path("kafka").path("key"));
        boolean stringKeys = topic.keySerde().serializer() instanceof StringSerializer;
        if (!stringKeys || !"string".equals(key.path("type").asText())) {
            problems.add(message + ": key is documented as type '" + key.path("type").asText()
                    + "', the topic's key serde is " + topic.keySerde().getClass().getSimpleName());
        }
        String field = key.path("x-payledger-key-field").asText(null);
        if (field == null) {
            problems.add(message + ": key names no value field (x-payledger-key-field)");
            return;
        }
        Schema target = value;
        for (String part : field.split("\\.")) {
            Schema.Field found = target.getType() == Schema.Type.RECORD ? target.getField(part) : null;
            if (found == null) {
                problems.add(message + ": key field " + field + " is not a field of " + value.getFullName());
                return;
            }
            target = found.schema();
        }
        if (target.getType() != Schema.Type.STRING) {
            problems.add(message + ": key field " + field + " is " + target.getType() + ", not a string");
        }
    }

    /** Every record about a payment names it, and a downstream reader must see the redrive header. */
    private void checkEventHeaders(String message, Topic<String, ?> topic, JsonNode resolved) {
        if (topic == Topics.LEDGER_ACCOUNTS) {
            return; // account events are about no payment and carry no headers
        }
        JsonNode properties = resolve(resolved.path("headers")).path("properties");
        List<String> expected = Topics.producerOf(topic.name()).isPresent()
                ? List.of(TraceHeaders.TRACE_ID, TraceHeaders.TRACEPARENT, DeadLetterHeaders.REDRIVE_TARGET_GROUP)
                : List.of(TraceHeaders.PAYMENT_ID, TraceHeaders.TRACE_ID, TraceHeaders.TRACEPARENT,
                        DeadLetterHeaders.REDRIVE_TARGET_GROUP);
        for (String header : expected) {
            if (!properties.has(header)) {
                problems.add(message + ": header " + header + " is not documented");
            }
        }
    }

    private void checkDeadLetters(String where, JsonNode channel) {
        Iterator<JsonNode> messages = channel.path("messages").elements();
        if (!messages.hasNext()) {
            problems.add(where + " has no message");
        }
        while (messages.hasNext()) {
            JsonNode headers = resolve(resolve(messages.next()).path("headers"));
            for (String header : List.of(DeadLetterHeaders.SOURCE_TOPIC, DeadLetterHeaders.SOURCE_PARTITION,
                    DeadLetterHeaders.SOURCE_OFFSET, DeadLetterHeaders.CONSUMER_GROUP, DeadLetterHeaders.ERROR_CLASS,
                    DeadLetterHeaders.ERROR_MESSAGE, DeadLetterHeaders.FAILED_AT, DeadLetterHeaders.VALUE_OMITTED)) {
                if (!headers.path("properties").has(header)) {
                    problems.add(where + ": dead-letter header " + header + " is not documented");
                }
            }
        }
    }

    /** Every local {@code $ref} in the document points at something (operations name channels and messages by them). */
    private void checkLocalReferences(JsonNode node, String path) {
        String reference = node.path("$ref").asText("");
        if (reference.startsWith("#/") && document.at(reference.substring(1)).isMissingNode()) {
            problems.add(path + ": $ref " + reference + " points at nothing");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            checkLocalReferences(field.getValue(), path + "/" + field.getKey());
        }
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            checkLocalReferences(node.get(i), path + "/" + i);
        }
    }

    /** The node a local {@code $ref} ("#/a/b") points at; any other node as it is. */
    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current.has("$ref") && hops < 10; hops++) {
            String reference = current.path("$ref").asText();
            if (!reference.startsWith("#/")) {
                return current;
            }
            JsonNode target = document.at(reference.substring(1));
            if (target.isMissingNode()) {
                problems.add("$ref " + reference + " points at nothing");
                return target;
            }
            current = target;
        }
        return current;
    }

    /** A deep copy of {@code document} to change in a test. */
    static ObjectNode copy(JsonNode document) {
        return (ObjectNode) document.deepCopy();
    }
}
