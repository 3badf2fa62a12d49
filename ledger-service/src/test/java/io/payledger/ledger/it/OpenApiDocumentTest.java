package io.payledger.ledger.it;

import static io.payledger.testsupport.OpenApiDocuments.scopes;
import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.OpenApiDocuments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * ledger-service's OpenAPI document: public, and the one checked in as docs/openapi/ledger-service.json, so a
 * change of the API shows in review as a change of that file. Regenerate it with {@code -Dopenapi.write=true}.
 */
@LedgerIntegrationTest
class OpenApiDocumentTest {

    @LocalServerPort
    int port;

    private HttpApi anonymous;

    @BeforeEach
    void withoutToken() {
        anonymous = new HttpApi("http://localhost:" + port);
    }

    @Test
    void theServedDocumentIsTheCheckedInOne() {
        // When a client without a token asks for the document, Then it gets it: the API's endpoints and
        // nothing else, as checked in
        OpenApiDocuments.assertServedAsCheckedIn(anonymous, "ledger-service", "http://localhost:8082",
                "/v1/accounts",
                "/v1/accounts/{accountId}", "/v1/accounts/{accountId}/entries", "/v1/transactions/{transactionId}");
    }

    @Test
    void nothingBesidesTheDocumentBecamePublic() {
        // Given no token, When calling the API, or the document's path with another method or below it,
        // Then each needs a token, as before
        OpenApiDocuments.assertNothingElseIsPublic(anonymous, "/v1/accounts/anyone");
    }

    @Test
    void eachOperationNamesTheScopesTheServiceChecks() {
        JsonNode paths = anonymous.get("/v3/api-docs").json().get("paths");

        // Any one of the listed scopes grants the operation, as the filter chain has it
        assertThat(scopes(paths.at("/~1v1~1accounts/post"))).containsExactly("accounts:write");
        assertThat(scopes(paths.at("/~1v1~1accounts~1{accountId}/get")))
                .containsExactly("accounts:lookup", "accounts:read");
        assertThat(scopes(paths.at("/~1v1~1accounts~1{accountId}~1entries/get"))).containsExactly("accounts:read");
        assertThat(scopes(paths.at("/~1v1~1transactions~1{transactionId}/get"))).containsExactly("ledger:read");
        // And opening an account is a 201 with the account, or a problem of a stated type
        JsonNode open = paths.at("/~1v1~1accounts/post/responses");
        assertThat(open.at("/201/content/application~1json/schema/$ref").asText()).endsWith("/AccountView");
        assertThat(open.at("/403/x-problem-types").toString())
                .contains("urn:payledger:problem:system-account-needs-funding-scope");
    }
}
