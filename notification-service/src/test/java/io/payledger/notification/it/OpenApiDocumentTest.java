package io.payledger.notification.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.OpenApiDocuments;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * notification-service's OpenAPI document: public, and the one checked in as docs/openapi/notification-service.json,
 * so a change of the API shows in review as a change of that file. Regenerate it with {@code -Dopenapi.write=true}.
 */
@NotificationIntegrationTest
class OpenApiDocumentTest extends ThreeClientsApiTest {

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
        assertThat(served.json().get("paths").propertyNames()).containsExactlyInAnyOrder("/v1/notifications",
                "/v1/accounts/{accountId}/notifications", "/v1/webhooks", "/v1/webhooks/{id}",
                "/v1/webhooks/{id}/deliveries", "/v1/webhooks/{id}/deliveries/{deliveryId}/redrive",
                "/v1/webhooks/{id}/redrive");
        OpenApiDocuments.assertMatchesCheckedIn("notification-service", served.body(), "http://localhost:8084");
    }

    @Test
    void nothingBesidesTheDocumentBecamePublic() {
        // Given no token, When calling the API, or the document's path with another method or below it
        HttpApi.Response webhooks = anonymous.get("/v1/webhooks");
        HttpApi.Response postToDocs = anonymous.post("/v3/api-docs", "{}");
        HttpApi.Response belowDocs = anonymous.get("/v3/api-docs/anything");

        // Then each needs a token, as before; a token still works on the document
        for (HttpApi.Response response : List.of(webhooks, postToDocs, belowDocs)) {
            assertThat(response.status()).as(response.body()).isEqualTo(401);
            assertThat(response.json().get("type").asText()).isEqualTo("urn:payledger:problem:unauthorized");
        }
        assertThat(clientA.get("/v3/api-docs").status()).isEqualTo(200);
    }

    @Test
    void webhookOperationsAreDocumentedForCodeGeneration() {
        JsonNode paths = anonymous.get("/v3/api-docs").json().get("paths");

        // Creating is a 201 with the secret, needing webhooks:manage; an account not the caller's is a 422 problem
        JsonNode create = paths.at("/~1v1~1webhooks/post");
        assertThat(scopes(create)).containsExactly("webhooks:manage");
        assertThat(create.at("/responses/201/content/application~1json/schema/$ref").asText())
                .endsWith("/CreatedWebhookView");
        assertThat(create.at("/responses/422/x-problem-types").toString())
                .contains("urn:payledger:problem:webhook-account-not-found");
        // Deleting is a 204 without a body; redriving all answers how many
        assertThat(paths.at("/~1v1~1webhooks~1{id}/delete/responses/204").isMissingNode()).isFalse();
        assertThat(paths.at("/~1v1~1webhooks~1{id}/delete/responses/200").isMissingNode()).isTrue();
        assertThat(paths.at("/~1v1~1webhooks~1{id}~1redrive/post/responses/200/content/application~1json/schema"
                + "/properties/redriven/type").asText()).isEqualTo("integer");
    }

    private static List<String> scopes(JsonNode operation) {
        List<String> scopes = new ArrayList<>();
        for (JsonNode requirement : operation.get("security")) {
            requirement.get("bearer-jwt").forEach(scope -> scopes.add(scope.asText()));
        }
        return scopes;
    }
}
