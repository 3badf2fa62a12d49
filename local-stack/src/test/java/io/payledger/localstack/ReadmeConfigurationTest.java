package io.payledger.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's configuration table names every environment variable a service reads. */
class ReadmeConfigurationTest {

    /** {@code ${NAME:default}} or {@code ${NAME}} in a service's configuration or the shared defaults. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    @Test
    void everyVariableAServiceReadsIsInTheReadmesConfigurationTable() throws IOException {
        // Given the variables the services' configuration files read
        Path root = Path.of("..").toAbsolutePath().normalize();
        Set<String> read = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root, 6)) {
            files.filter(file -> file.toString().matches(".*/[a-z-]+/src/main/resources/[a-z-]+\\.(yml|properties)"))
                    .forEach(file -> read.addAll(variablesIn(file)));
        }
        assertThat(read).as("variables found; the scan itself must work").contains("KAFKA_BOOTSTRAP_SERVERS",
                "LEDGER_BATCH_SIZE");

        // Then each has a row in the README's configuration table
        String table = configurationTable(Files.readString(root.resolve("README.md")));
        assertThat(read).allSatisfy(variable -> assertThat(table).as("README configuration row for %s", variable)
                .contains("`" + variable + "`"));
    }

    private static Set<String> variablesIn(Path file) {
        try {
            Set<String> found = new TreeSet<>();
            Matcher matcher = VARIABLE.matcher(Files.readString(file));
            while (matcher.find()) {
                found.add(matcher.group(1));
            }
            return found;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The README from its "## Configuration" heading to the next heading of that level. */
    private static String configurationTable(String readme) {
        int start = readme.indexOf("## Configuration");
        assertThat(start).as("README has a Configuration section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return end < 0 ? readme.substring(start) : readme.substring(start, end);
    }
}
