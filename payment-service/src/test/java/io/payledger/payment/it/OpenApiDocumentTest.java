package io.payledger.payment.it;

import static io.payledger.testsupport.OpenApiDocuments.scopes;
import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.OpenApiDocuments;
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
        // When a client without a token asks for the document, Then it gets it: the API's endpoints and
        // nothing else, as checked in
        OpenApiDocuments.assertServedAsCheckedIn(anonymous, "payment-service", "http://localhost:8081",
                "/v1/payments", "/v1/payments/batch", "/v1/payments/{paymentId}");
    }

    @Test
    void theDocumentIsAlsoServedAsYaml() {
        HttpApi.Response served = anonymous.get("/v3/api-docs.yaml");

        assertThat(served.status()).isEqualTo(200);
        assertThat(served.body()).startsWith("openapi: 3.1").contains("/v1/payments/{paymentId}:");
    }

    @Test
    void nothingBesidesTheDocumentBecamePublic() {
        // Given no token, When calling the API, or the document's path with another method or below it,
        // Then each needs a token, as before
        OpenApiDocuments.assertNothingElseIsPublic(anonymous, "/v1/payments/00000000-0000-0000-0000-000000000000");
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

    @Test
    void batchSubmissionIsDocumentedWithItsResultsAndScope() {
        JsonNode batch = anonymous.get("/v3/api-docs").json().at("/paths/~1v1~1payments~1batch/post");

        // The body holds 1 to 100 payments, each with its own key; the 200 has one result per payment
        assertThat(batch.at("/requestBody/content/application~1json/schema/$ref").asText()).endsWith("/BatchBody");
        assertThat(batch.at("/responses/200/content/application~1json/schema/$ref").asText()).endsWith("/BatchResult");
        JsonNode schemas = anonymous.get("/v3/api-docs").json().at("/components/schemas");
        assertThat(schemas.at("/BatchBody/properties/payments/maxItems").asInt()).isEqualTo(100);
        assertThat(schemas.at("/BatchPayment/required").toString()).contains("idempotencyKey");
        // The same scope as a single payment; whole-batch refusals are problems
        assertThat(scopes(batch)).containsExactly("payments:write");
        assertThat(batch.at("/responses/429/x-problem-types").toString())
                .contains("urn:payledger:problem:too-many-requests");
    }

    private static JsonNode parameter(JsonNode operation, String name) {
        for (JsonNode parameter : operation.get("parameters")) {
            if (parameter.get("name").asText().equals(name)) {
                return parameter;
            }
        }
        throw new AssertionError("no parameter " + name + " in " + operation);
    }
}
