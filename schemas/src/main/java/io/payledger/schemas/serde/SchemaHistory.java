package io.payledger.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Every published version of the platform's record schemas, kept on the classpath at
 * {@code avro-history/<full name>/v<N>.avsc} (self-contained JSON, numbered from 1 without gaps).
 * A reader resolves single-object-encoded bytes written with any of them by their fingerprint.
 */
public final class SchemaHistory {

    static final String ROOT = "avro-history/";

    private final Map<String, List<Schema>> versionsByName = new HashMap<>();
    private final Map<Long, Schema> byFingerprint = new HashMap<>();

    /** The history of the given record schemas (current versions), loaded from the classpath. */
    public static SchemaHistory of(Collection<Schema> currentSchemas) {
        SchemaHistory history = new SchemaHistory();
        for (Schema current : currentSchemas) {
            List<Schema> versions = load(current.getFullName());
            history.versionsByName.put(current.getFullName(), versions);
            for (Schema version : versions) {
                history.byFingerprint.put(fingerprint(version), version);
            }
            // The schema this code writes with is always resolvable, even before it is published.
            history.byFingerprint.putIfAbsent(fingerprint(current), current);
        }
        return history;
    }

    /** Published versions of a record, oldest first; empty if none is published. */
    public List<Schema> versions(String fullName) {
        return versionsByName.getOrDefault(fullName, List.of());
    }

    public Optional<Schema> byFingerprint(long fingerprint) {
        return Optional.ofNullable(byFingerprint.get(fingerprint));
    }

    /** CRC-64-AVRO of the schema's canonical form: the fingerprint in single-object encoding. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    static List<Schema> load(String fullName) {
        List<Schema> versions = new ArrayList<>();
        ClassLoader loader = SchemaHistory.class.getClassLoader();
        for (int version = 1; ; version++) {
            String path = ROOT + fullName + "/v" + version + ".avsc";
            try (InputStream in = loader.getResourceAsStream(path)) {
                if (in == null) {
                    return List.copyOf(versions);
                }
                versions.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
        }
    }
}
