package io.payledger.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The checked-in OpenAPI documents, {@code docs/openapi/<service>.json}, against what a running service serves. A
 * document is compared in one canonical form: keys sorted, two-space indentation, the server URL the one the
 * service has on a developer's machine (the served one names the test's random port). With
 * {@code -Dopenapi.write=true} the check writes the served document to the file instead of comparing.
 */
public final class OpenApiDocuments {

    public static final String WRITE_PROPERTY = "openapi.write";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private OpenApiDocuments() {
    }

    /**
     * Fails unless {@code servedJson} is the checked-in document of {@code service}, saying how to regenerate it;
     * writes it instead under {@code -Dopenapi.write=true}.
     *
     * @param serverUrl the URL the checked-in document names as its server, e.g. {@code http://localhost:8081}
     */
    public static void assertMatchesCheckedIn(String service, String servedJson, String serverUrl) {
        String served = canonical(servedJson, serverUrl);
        Path file = directory().resolve(service + ".json");
        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            write(file, served);
            return;
        }
        String checkedIn = Files.exists(file) ? read(file) : "";
        if (!served.equals(checkedIn)) {
            throw new AssertionError("docs/openapi/" + service + ".json is not the document " + service
                    + " serves at /v3/api-docs (" + firstDifference(checkedIn, served) + "). If the API change is "
                    + "intended, regenerate the file and commit it with the change:\n  ./mvnw -B -o -q verify -pl "
                    + service + " -am -Dtest=OpenApiDocumentTest -Dsurefire.failIfNoSpecifiedTests=false -D"
                    + WRITE_PROPERTY + "=true");
        }
    }

    /**
     * Fetches the document without a token and fails unless it is served as JSON, documents exactly {@code paths}
     * and is the checked-in one ({@link #assertMatchesCheckedIn}).
     */
    public static void assertServedAsCheckedIn(HttpApi anonymous, String service, String serverUrl, String... paths) {
        HttpApi.Response served = anonymous.get("/v3/api-docs");
        assertThat(served.status()).as(served.body()).isEqualTo(200);
        assertThat(served.contentType()).startsWith("application/json");
        assertThat(served.json().get("paths").propertyNames()).containsExactlyInAnyOrder(paths);
        assertMatchesCheckedIn(service, served.body(), serverUrl);
    }

    /**
     * Fails unless, without a token, the API ({@code apiPath}), the document's path with another method and a path
     * below it are all refused 401 as before: the document, and nothing else, is public.
     */
    public static void assertNothingElseIsPublic(HttpApi anonymous, String apiPath) {
        HttpApi.Response api = anonymous.get(apiPath);
        HttpApi.Response postToDocs = anonymous.post("/v3/api-docs", "{}");
        HttpApi.Response belowDocs = anonymous.get("/v3/api-docs/anything");
        for (HttpApi.Response response : List.of(api, postToDocs, belowDocs)) {
            assertThat(response.status()).as(response.body()).isEqualTo(401);
            assertThat(response.json().get("type").asText()).isEqualTo("urn:payledger:problem:unauthorized");
        }
    }

    /** The scopes an operation documents, any one of which grants it. */
    public static List<String> scopes(JsonNode operation) {
        List<String> scopes = new ArrayList<>();
        for (JsonNode requirement : operation.get("security")) {
            requirement.get("bearer-jwt").forEach(scope -> scopes.add(scope.asText()));
        }
        return scopes;
    }

    /** The document with sorted keys, fixed server URL and a final newline; the form the files are kept in. */
    static String canonical(String json, String serverUrl) {
        JsonNode document = JSON.readTree(json);
        JsonNode servers = document.get("servers");
        if (servers != null) {
            for (JsonNode server : servers) {
                ((ObjectNode) server).put("url", serverUrl);
                ((ObjectNode) server).remove("description");
            }
        }
        // ORDER_MAP_ENTRIES_BY_KEYS sorts maps, not a tree's object nodes: go through plain maps and lists.
        Object plain = JSON.treeToValue(document, Object.class);
        return JSON.writeValueAsString(plain).replace("\r\n", "\n") + "\n";
    }

    private static String firstDifference(String checkedIn, String served) {
        if (checkedIn.isEmpty()) {
            return "the file is missing or empty";
        }
        List<String> expected = checkedIn.lines().toList();
        List<String> actual = served.lines().toList();
        for (int line = 0; line < Math.min(expected.size(), actual.size()); line++) {
            if (!expected.get(line).equals(actual.get(line))) {
                return "first difference at line " + (line + 1) + ": file has \"" + expected.get(line).strip()
                        + "\", service serves \"" + actual.get(line).strip() + "\"";
            }
        }
        return "the file has " + expected.size() + " lines, the served document " + actual.size();
    }

    /** docs/openapi of the checkout, found upwards from the working directory (a module's, under Maven). */
    static Path directory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs/openapi"))) {
                return dir.resolve("docs/openapi");
            }
        }
        throw new IllegalStateException("no docs/openapi directory above " + Path.of("").toAbsolutePath());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
