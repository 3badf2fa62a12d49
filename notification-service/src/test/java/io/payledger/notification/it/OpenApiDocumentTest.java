package io.payledger.notification.it;

import static io.payledger.testsupport.OpenApiDocuments.scopes;
import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.OpenApiDocuments;
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
        // When a client without a token asks for the document, Then it gets it: the API's endpoints and
        // nothing else, as checked in
        OpenApiDocuments.assertServedAsCheckedIn(anonymous, "notification-service", "http://localhost:8084",
                "/v1/notifications",
                "/v1/accounts/{accountId}/notifications", "/v1/webhooks", "/v1/webhooks/{id}",
                "/v1/webhooks/{id}/deliveries", "/v1/webhooks/{id}/deliveries/{deliveryId}/redrive",
                "/v1/webhooks/{id}/redrive");
    }

    @Test
    void nothingBesidesTheDocumentBecamePublic() {
        // Given no token, When calling the API, or the document's path with another method or below it,
        // Then each needs a token, as before
        OpenApiDocuments.assertNothingElseIsPublic(anonymous, "/v1/webhooks");
        // And a token still works on the document
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
}
