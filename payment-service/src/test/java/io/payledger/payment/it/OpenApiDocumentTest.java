package io.payledger.payment.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.OpenApiDocuments;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * payment-service's OpenAPI document: public, and the one checked in as docs/openapi/payment-service.json, so a
 * change of the API shows in review as a change of that file. Regenerate it with {@code -Dopenapi.write=true}.
 */
class OpenApiDocumentTest extends PaymentServiceTestBase {

    private HttpApi anonymous;

    @BeforeEach
    void withoutToken() {
        anonymous = new HttpApi("http://localhost:" + port);
    }

    @Test
    void theServedDocumentIsTheCheckedInOne() {
        // When a client without a token asks for the document
        HttpApi.Response served = anonymous.get("/v3/api-docs");

        // Then it gets it: the API's endpoints and nothing else, as checked in
        assertThat(served.status()).as(served.body()).isEqualTo(200);
        assertThat(served.contentType()).startsWith("application/json");
        assertThat(served.json().get("paths").propertyNames())
                .containsExactlyInAnyOrder("/v1/payments", "/v1/payments/{paymentId}");
        OpenApiDocuments.assertMatchesCheckedIn("payment-service", served.body(), "http://localhost:8081");
    }

    @Test
    void theDocumentIsAlsoServedAsYaml() {
        HttpApi.Response served = anonymous.get("/v3/api-docs.yaml");

        assertThat(served.status()).isEqualTo(200);
        assertThat(served.body()).startsWith("openapi: 3.1").contains("/v1/payments/{paymentId}:");
    }

    @Test
    void nothingBesidesTheDocumentBecamePublic() {
        // Given no token, When calling the API, the document's path with another method or below it
        HttpApi.Response payment = anonymous.get("/v1/payments/00000000-0000-0000-0000-000000000000");
        HttpApi.Response postToDocs = anonymous.post("/v3/api-docs", "{}");
        HttpApi.Response belowDocs = anonymous.get("/v3/api-docs/swagger-config");

        // Then each needs a token, as before
        for (HttpApi.Response response : List.of(payment, postToDocs, belowDocs)) {
            assertThat(response.status()).as(response.body()).isEqualTo(401);
            assertThat(response.json().get("type").asText()).isEqualTo("urn:payledger:problem:unauthorized");
        }
    }

    @Test
    void paymentSubmissionIsDocumentedForCodeGeneration() {
        JsonNode submit = anonymous.get("/v3/api-docs").json().at("/paths/~1v1~1payments/post");

        // The Idempotency-Key header is required, with its limits
        JsonNode key = parameter(submit, "Idempotency-Key");
        assertThat(key.get("in").asText()).isEqualTo("header");
        assertThat(key.get("required").asBoolean()).isTrue();
        assertThat(key.at("/schema/maxLength").asInt()).isEqualTo(200);
        // The body and the 202 have schemas; the scope is the one the filter chain checks
        assertThat(submit.at("/requestBody/content/application~1json/schema/$ref").asText())
                .endsWith("/PaymentBody");
        assertThat(submit.at("/responses/202/content/application~1json/schema/$ref").asText())
                .endsWith("/PaymentView");
        assertThat(scopes(submit)).containsExactly("payments:write");
        // Refusals are problems, with their types
        assertThat(submit.at("/responses/422/content/application~1problem+json/schema/$ref").asText())
                .endsWith("/Problem");
        assertThat(submit.at("/responses/422/x-problem-types").toString())
                .contains("urn:payledger:problem:idempotency-key-reused", "urn:payledger:problem:unknown-account");
        assertThat(submit.at("/responses/409/x-problem-types").toString())
                .contains("urn:payledger:problem:request-in-flight");
    }

    private static JsonNode parameter(JsonNode operation, String name) {
        for (JsonNode parameter : operation.get("parameters")) {
            if (parameter.get("name").asText().equals(name)) {
                return parameter;
            }
        }
        throw new AssertionError("no parameter " + name + " in " + operation);
    }

    private static List<String> scopes(JsonNode operation) {
        List<String> scopes = new ArrayList<>();
        for (JsonNode requirement : operation.get("security")) {
            requirement.get("bearer-jwt").forEach(scope -> scopes.add(scope.asText()));
        }
        return scopes;
    }
}
