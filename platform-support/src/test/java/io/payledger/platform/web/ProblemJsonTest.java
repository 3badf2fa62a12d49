package io.payledger.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProblemJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void rendersTheFieldsOfASpringProblemDetail() {
        // When
        JsonNode problem = JSON.readTree(ProblemJson.render(431, ProblemTypes.REQUEST_HEADER_TOO_LARGE, "too big"));

        // Then
        assertThat(problem.propertyNames()).containsExactly("type", "title", "status", "detail");
        assertThat(problem.get("type").asText()).isEqualTo("urn:payledger:problem:request-header-too-large");
        assertThat(problem.get("title").asText()).isEqualTo("Request Header Fields Too Large");
        assertThat(problem.get("status").asInt()).isEqualTo(431);
        assertThat(problem.get("detail").asText()).isEqualTo("too big");
    }

    @Test
    void escapesWhatItQuotesAndKeepsTheDetailShort() {
        // Given a container message quoting a hostile request
        String quoted = "Invalid character found in the request target [/a\u0001\"</script>" + "x".repeat(1_000) + "]";

        // When
        String rendered = ProblemJson.render(400, ProblemTypes.MALFORMED_REQUEST, quoted);

        // Then it is still one JSON document, with a bounded detail and no raw control character
        JsonNode problem = JSON.readTree(rendered);
        assertThat(problem.get("detail").asText()).hasSize(ProblemJson.MAX_DETAIL_LENGTH).startsWith(quoted.substring(0, 40));
        assertThat(rendered).doesNotContain("\u0001");
        assertThat(problem.get("title").asText()).isEqualTo("Malformed request");
    }

    @Test
    void writesTheProblemAsTheWholeResponse() throws Exception {
        // Given a response something had started to buffer
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.getOutputStream().write("partial".getBytes());

        // When
        ProblemJson.write(response, 413, ProblemTypes.REQUEST_BODY_TOO_LARGE, "limit");

        // Then
        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        JsonNode problem = JSON.readTree(response.getContentAsString());
        assertThat(problem.get("type").asText()).isEqualTo("urn:payledger:problem:request-body-too-large");
        assertThat(response.getContentLength()).isEqualTo(response.getContentAsByteArray().length);
    }

    @ParameterizedTest
    @CsvSource({
            "400, malformed-request", "404, not-found", "405, method-not-allowed", "406, not-acceptable",
            "408, request-timeout", "411, malformed-request", "413, request-body-too-large", "414, uri-too-long",
            "415, unsupported-media-type", "431, request-header-too-large", "500, internal-error",
            "501, not-implemented", "503, service-unavailable", "505, http-version-not-supported", "599, internal-error"})
    void everyStatusHasAStableType(int status, String type) {
        assertThat(ProblemTypes.forStatus(status)).isEqualTo(type);
    }
}
