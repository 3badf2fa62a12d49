package io.payledger.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PackageDependencyTest {

    private static final Path SERDE_SOURCES = Path.of("src/main/java/io/payledger/schemas/serde");

    @Test
    void theSerdePackageDoesNotDependOnTheTopicPackage() throws IOException {
        // Given the sources of the wire format
        List<Path> sources;
        try (Stream<Path> files = Files.list(SERDE_SOURCES)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertThat(sources).isNotEmpty();

        // When their references to the topic package are collected
        List<String> references = sources.stream()
                .filter(f -> read(f).contains("io.payledger.schemas.topic"))
                .map(f -> f.getFileName().toString())
                .toList();

        // Then there are none: topic depends on serde, never the other way round
        assertThat(references).isEmpty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
