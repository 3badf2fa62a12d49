package io.payledger.schemas.serde;

import java.net.URI;
import java.util.Optional;

/**
 * How values are framed on the wire. Without a schema registry, producers write Avro single-object
 * encoding resolved from the schemas on the classpath; with one, they write Confluent framing and
 * register schemas under {@code <topic>-value}. Readers accept both either way.
 */
public record SerdeSettings(Optional<URI> schemaRegistryUrl) {

    public SerdeSettings {
        schemaRegistryUrl = schemaRegistryUrl == null ? Optional.empty() : schemaRegistryUrl;
    }

    public static SerdeSettings singleObjectEncoding() {
        return new SerdeSettings(Optional.empty());
    }

    public static SerdeSettings confluentRegistry(URI schemaRegistryUrl) {
        return new SerdeSettings(Optional.of(schemaRegistryUrl));
    }

    /** Registry from a URL that may be null or blank (an unset environment variable). */
    public static SerdeSettings fromRegistryUrl(String schemaRegistryUrl) {
        return schemaRegistryUrl == null || schemaRegistryUrl.isBlank()
                ? singleObjectEncoding()
                : confluentRegistry(URI.create(schemaRegistryUrl.trim()));
    }
}
