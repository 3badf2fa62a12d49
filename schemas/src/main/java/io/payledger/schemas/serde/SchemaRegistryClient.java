package io.payledger.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The two calls of the Confluent Schema Registry REST API the serde needs: register a schema under a
 * subject, and fetch a schema by ID. Both directions are cached; a schema ID never changes meaning.
 */
public final class SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final HttpClient http;
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public SchemaRegistryClient(URI baseUrl) {
        String url = baseUrl.toString();
        this.baseUrl = URI.create(url.endsWith("/") ? url : url + "/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Registers {@code schema} under {@code subject} (idempotent on the registry's side) and returns its ID. */
    public int register(String subject, Schema schema) {
        String key = subject + "\u0000" + schema;
        Integer cached = idsBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (IOException e) {
            throw new SerializationException("cannot encode schema for registration", e);
        }
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("subjects/"
                        + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        int id = call(request, "register schema under subject " + subject).path("id").asInt(-1);
        if (id < 0) {
            throw new SerializationException("schema registry did not return an ID for subject " + subject);
        }
        idsBySubjectAndSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** The schema with this registry ID. */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("schemas/ids/" + id))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", CONTENT_TYPE)
                .GET()
                .build();
        JsonNode response = call(request, "fetch schema " + id);
        String text = response.path("schema").asText(null);
        if (text == null) {
            throw new SerializationException("schema registry returned no schema for ID " + id);
        }
        Schema schema = new Schema.Parser().parse(text);
        schemasById.put(id, schema);
        return schema;
    }

    /**
     * Failures of the registry itself (I/O, timeouts, 5xx, 429) are {@link SchemaRegistryUnavailableException}s,
     * to be retried; an answer that refuses the request (an unknown schema ID, say) is about the record.
     */
    private JsonNode call(HttpRequest request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryUnavailableException("schema registry at " + baseUrl + " unreachable; could not "
                    + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryUnavailableException("interrupted; could not " + what, e);
        }
        int status = response.statusCode();
        if (status >= 500 || status == 408 || status == 429) {
            throw new SchemaRegistryUnavailableException("schema registry could not " + what + " for now: HTTP "
                    + status + " " + response.body());
        }
        if (status / 100 != 2) {
            throw new SerializationException("schema registry could not " + what + ": HTTP " + response.statusCode()
                    + " " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SerializationException("schema registry answered with invalid JSON; could not " + what, e);
        }
    }
}
