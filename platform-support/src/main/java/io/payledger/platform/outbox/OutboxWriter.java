package io.payledger.platform.outbox;

import io.payledger.platform.tracing.RecordTracing;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serializer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends events to the service's {@code outbox} table inside the caller's database transaction, so
 * an event exists if and only if the state change that caused it committed. The service's own
 * migration creates the table in this shape:
 *
 * <pre>
 * CREATE TABLE outbox (
 *     id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
 *     tx_id       xid8        NOT NULL DEFAULT pg_current_xact_id(),
 *     topic       text        NOT NULL,
 *     message_key bytea,
 *     payload     bytea       NOT NULL,
 *     headers     jsonb       NOT NULL DEFAULT '{}',
 *     created_at  timestamptz NOT NULL DEFAULT now()
 * );
 * CREATE INDEX outbox_commit_order ON outbox (tx_id, id);
 * </pre>
 */
public final class OutboxWriter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SerdeSettings serdeSettings;
    private final RecordTracing tracing;
    private final Map<Topic<String, ?>, Serializer<?>> serializers = new ConcurrentHashMap<>();

    /** A writer that stores no trace context (tests, tools). */
    public OutboxWriter(SerdeSettings serdeSettings) {
        this(serdeSettings, RecordTracing.OFF);
    }

    /**
     * A writer that stores, with each message that has no {@code traceparent} of its own, the context of the
     * span current while it is written (an HTTP request's), for the relay to continue.
     */
    public OutboxWriter(SerdeSettings serdeSettings, RecordTracing tracing) {
        this.serdeSettings = serdeSettings;
        this.tracing = tracing;
    }

    private static final String INSERT = """
            INSERT INTO outbox (topic, message_key, payload, headers)
            VALUES (:topic, :key, :payload, CAST(:headers AS jsonb))""";

    public <V> void append(Handle handle, Topic<String, V> topic, String key, V value, Map<String, String> headers) {
        bind(handle.createUpdate(INSERT), topic, key, value, headers).execute();
    }

    /**
     * Messages appended together, in the order added, by one JDBC batch (one round trip) inside the caller's
     * transaction when {@link Batch#execute()} is called.
     */
    public Batch batch(Handle handle) {
        return new Batch(handle.prepareBatch(INSERT));
    }

    public final class Batch {

        private final PreparedBatch statements;

        private Batch(PreparedBatch statements) {
            this.statements = statements;
        }

        public <V> Batch add(Topic<String, V> topic, String key, V value, Map<String, String> headers) {
            bind(statements, topic, key, value, headers).add();
            return this;
        }

        public void execute() {
            if (statements.size() > 0) {
                statements.execute();
            }
        }
    }

    private <V, S extends SqlStatement<S>> S bind(S statement, Topic<String, V> topic, String key, V value,
                                                  Map<String, String> headers) {
        return statement.bind("topic", topic.name())
                .bind("key", key == null ? null : key.getBytes(StandardCharsets.UTF_8))
                .bind("payload", serializer(topic).serialize(topic.name(), value))
                .bind("headers", JSON.writeValueAsString(withTraceContext(headers)));
    }

    private Map<String, String> withTraceContext(Map<String, String> headers) {
        if (headers.containsKey(RecordTracing.TRACEPARENT)) {
            return headers;
        }
        Map<String, String> context = tracing.currentContext();
        if (context.isEmpty()) {
            return headers;
        }
        Map<String, String> merged = new HashMap<>(headers);
        merged.putAll(context);
        return merged;
    }

    @SuppressWarnings("unchecked")
    private <V> Serializer<V> serializer(Topic<String, V> topic) {
        return (Serializer<V>) serializers.computeIfAbsent(topic, t -> topic.valueSerde(serdeSettings).serializer());
    }
}
