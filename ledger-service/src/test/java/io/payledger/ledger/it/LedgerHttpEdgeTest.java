package io.payledger.ledger.it;

import static io.payledger.ledger.it.LedgerTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.testsupport.RawHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * ledger-service's HTTP edge gets the platform's strictness without code of its own: hostile paths,
 * duplicate JSON keys and oversized headers are problems with stable types, sent byte for byte.
 */
@LedgerIntegrationTest
class LedgerHttpEdgeTest {

    @LocalServerPort
    int port;

    private RawHttp raw;
    private LedgerTestSupport ledger;
    /** A valid token, so that what is refused is the request itself, not its lack of one. */
    private String authorization;

    @BeforeEach
    void clients() {
        raw = new RawHttp(port);
        ledger = new LedgerTestSupport(port);
        authorization = LedgerTestSupport.authorization(LedgerTestSupport.OPERATOR);
    }

    private static void assertProblem(RawHttp.Response response, int status, String type) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("urn:payledger:problem:" + type);
        assertThat(response.json().get("detail").asText()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "/v1/transactions/%00", "/v1/accounts/%00", "/v1/accounts/%00/entries", "/v1/accounts/a%00b",
            "/v1/accounts/%01", "/v1/accounts/%0A", "/v1/transactions/%7F", "/v1/accounts/%zz", "/v1/accounts/%C0%AF",
            "/v1/accounts/a%2Fb", "/v1/accounts/a\u0001b"})
    void aHostilePathIsA400Problem(String target) {
        // When a path no account or transaction can have is asked for, by a client that prefers HTML
        RawHttp.Response response = raw.send("GET", target, "Accept: text/html", authorization);

        // Then it is a problem with a stable type: never the container's page, never a 500
        assertProblem(response, 400, "malformed-request");
    }

    @Test
    void anUnknownPathIsA404Problem() {
        assertProblem(raw.send("GET", "/v1/ledgers", "Accept: text/html", authorization), 404, "not-found");
    }

    @Test
    void aJsonKeyGivenTwiceIsRefusedAndNoAccountIsOpened() {
        // Given a request naming two account IDs: a proxy in front may read the first, we the last
        String first = unique("first");
        String second = unique("second");
        String body = "{\"accountId\":\"" + first + "\",\"accountId\":\"" + second
                + "\",\"currency\":\"USD\",\"type\":\"CUSTOMER\"}";

        // When
        RawHttp.Response response = raw.sendBody("POST", "/v1/accounts", body, "Content-Type: application/json", authorization);

        // Then it is refused and neither account exists
        assertProblem(response, 400, "malformed-request");
        assertThat(response.json().get("detail").asText()).contains("accountId");
        assertThat(ledger.api.get("/v1/accounts/" + first).status()).isEqualTo(404);
        assertThat(ledger.api.get("/v1/accounts/" + second).status()).isEqualTo(404);
    }

    @Test
    void aHeaderOverTheLimitIsA431Problem() {
        RawHttp.Response response = raw.send("GET", "/v1/accounts/" + unique("any"), "X-Padding: " + "p".repeat(10_000),
                authorization);

        assertProblem(response, 431, "request-header-too-large");
    }

    @Test
    void aStatementLimitThatIsNoNumberIsA400Problem() {
        RawHttp.Response response = raw.send("GET", "/v1/accounts/" + unique("any") + "/entries?limit=ten", authorization);

        assertProblem(response, 400, "malformed-request");
    }
}
