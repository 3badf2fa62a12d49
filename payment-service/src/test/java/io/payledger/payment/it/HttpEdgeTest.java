package io.payledger.payment.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.payment.domain.IdempotencyKeys;
import io.payledger.testsupport.RawHttp;
import io.payledger.testsupport.SharedIssuer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP edge is as strict as the Kafka one: hostile bytes, sent exactly as written over a socket,
 * get a problem with a stable type, never the container's HTML page, never a 500, and change nothing.
 */
class HttpEdgeTest extends PaymentServiceTestBase {

    private RawHttp raw;

    @BeforeEach
    void rawClient() {
        raw = new RawHttp(port);
    }

    /** The request as written, as client A: with its bearer token, so the edge (not the token) is what is tested. */
    private RawHttp.Response send(String method, String target, String... headers) {
        return raw.send(method, target, withToken(headers));
    }

    private RawHttp.Response sendBody(String method, String target, String body, String... headers) {
        return raw.sendBody(method, target, body, withToken(headers));
    }

    private static String[] withToken(String... headers) {
        String[] all = Arrays.copyOf(headers, headers.length + 1);
        all[headers.length] = "Authorization: Bearer " + SharedIssuer.token(CLIENT_A);
        return all;
    }

    private String payment(String amountJson) {
        return "{\"sourceAccountId\":\"" + alice + "\",\"destinationAccountId\":\"" + bob + "\",\"amount\":"
                + amountJson + ",\"currency\":\"USD\"}";
    }

    private RawHttp.Response post(String body, String... headers) {
        String[] all = new String[headers.length + 1];
        all[0] = "Content-Type: application/json";
        System.arraycopy(headers, 0, all, 1, headers.length);
        return sendBody("POST", "/v1/payments", body, all);
    }

    private static void assertProblem(RawHttp.Response response, int status, String type) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("urn:payledger:problem:" + type);
        assertThat(response.json().get("status").asInt()).isEqualTo(status);
        assertThat(response.json().get("detail").asText()).isNotBlank();
    }

    @Test
    void aJsonKeyGivenTwiceIsRefusedAndNothingIsStored() {
        // Given a body naming the source account twice: a proxy in front may read the first, we the last
        String key = UUID.randomUUID().toString();
        String body = "{\"sourceAccountId\":\"" + bob + "\",\"sourceAccountId\":\"" + alice
                + "\",\"destinationAccountId\":\"" + bob + "\",\"amount\":\"1.00\",\"currency\":\"USD\"}";

        // When
        RawHttp.Response response = post(body, "Idempotency-Key: " + key);

        // Then it is refused, naming the key, and no payment exists for either reading
        assertProblem(response, 400, "malformed-request");
        assertThat(response.json().get("detail").asText()).contains("sourceAccountId");
        assertThat(paymentsWithKey(key)).isZero();
        assertThat(paymentsFrom(alice)).isZero();
        assertThat(paymentsFrom(bob)).isZero();
    }

    @Test
    void aKeyGivenTwiceInANestedOrTrailingDocumentIsRefusedToo() {
        String key = UUID.randomUUID().toString();

        RawHttp.Response trailing = post(payment("\"1.00\"") + " {}", "Idempotency-Key: " + key);

        assertProblem(trailing, 400, "malformed-request");
        assertThat(paymentsWithKey(key)).isZero();
    }

    @ParameterizedTest(name = "amount {0}")
    @ValueSource(strings = {"\" 12.34\"", "\"12.34 \"", "\"\\t12.34\"", "\"+12.34\"", "\"1e3\"", "\"12.\"", "\".50\""})
    void anAmountThatIsNotAnExactDecimalStringIsRefused(String amountJson) {
        // Given an amount a lenient parser would accept
        String key = UUID.randomUUID().toString();

        // When
        RawHttp.Response response = post(payment(amountJson), "Idempotency-Key: " + key);

        // Then
        assertProblem(response, 400, "invalid-amount");
        assertThat(paymentsWithKey(key)).isZero();
    }

    @ParameterizedTest(name = "amount {0}")
    @ValueSource(strings = {"12.34", "1234", "true"})
    void anAmountThatIsNotAJsonStringIsRefused(String amountJson) {
        String key = UUID.randomUUID().toString();

        RawHttp.Response response = post(payment(amountJson), "Idempotency-Key: " + key);

        assertProblem(response, 400, "malformed-request");
        assertThat(response.json().get("detail").asText()).contains("amount must be a JSON string");
        assertThat(paymentsWithKey(key)).isZero();
    }

    @Test
    void anIdempotencyKeyOverTheHeaderLimitIsA431Problem() {
        // Given a 10 kB Idempotency-Key: more than the 8 KB of request line and headers a service reads
        String key = "k".repeat(10_000);

        // When
        RawHttp.Response response = post(payment("\"1.00\""), "Idempotency-Key: " + key);

        // Then the container's refusal is a problem too, and nothing is stored
        assertProblem(response, 431, "request-header-too-large");
        assertThat(response.json().get("detail").asText()).contains("8192 bytes");
        assertThat(paymentsFrom(alice)).isZero();
    }

    @Test
    void anIdempotencyKeyTooLongForAPaymentButWithinTheHeaderLimitIsInvalid() {
        // Given a key that fits the header limit but not the key's own rule
        String key = "k".repeat(7_000);

        // When
        RawHttp.Response response = post(payment("\"1.00\""), "Idempotency-Key: " + key);

        // Then the specific problem says what a key must be
        assertProblem(response, 400, "invalid-idempotency-key");
        assertThat(response.json().get("detail").asText()).contains(String.valueOf(IdempotencyKeys.MAX_LENGTH));
        assertThat(paymentsFrom(alice)).isZero();
    }

    @Test
    void anIdempotencyKeyOfTheMaximumLengthIsAccepted() {
        String key = UUID.randomUUID() + "k".repeat(IdempotencyKeys.MAX_LENGTH - 36);

        RawHttp.Response response = post(payment("\"1.00\""), "Idempotency-Key: " + key);

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(paymentsWithKey(key)).isOne();
    }

    @Test
    void anIdempotencyKeyHeaderGivenTwiceIsRefused() {
        // Given two Idempotency-Key headers (Spring would join them into "first,second")
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();

        // When
        RawHttp.Response response = post(payment("\"1.00\""), "Idempotency-Key: " + first, "Idempotency-Key: " + second);

        // Then
        assertProblem(response, 400, "invalid-idempotency-key");
        assertThat(paymentsFrom(alice)).isZero();
    }

    @Test
    void lookingUpByAnIdempotencyKeyGivenTwiceIsRefused() {
        RawHttp.Response response = send("GET", "/v1/payments?idempotencyKey=a&idempotencyKey=b");

        assertProblem(response, 400, "invalid-idempotency-key");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "/v1/payments/%00", "/v1/payments/a%00b", "/v1/payments/%01", "/v1/payments/%0A", "/v1/payments/%0D%0A",
            "/v1/payments/%1B", "/v1/payments/%7F", "/v1/payments/%C2%85", "/v1/payments/%zz", "/v1/payments/%",
            "/v1/payments/%C0%AF", "/v1/payments/%FF", "/v1/payments/a%2Fb", "/v1/payments/a%5Cb",
            "/v1/../../etc/passwd", "/v1/payments/a\u0001b", "/v1/payments/a\"b"})
    void aHostilePathIsA400Problem(String target) {
        // When
        RawHttp.Response response = send("GET", target, "Accept: text/html");

        // Then whichever layer refused it (Tomcat or the platform), it says so as a problem
        assertProblem(response, 400, "malformed-request");
    }

    @Test
    void aRequestLineLongerThanTheLimitIsA414Problem() {
        RawHttp.Response response = send("GET", "/v1/payments/" + "a".repeat(10_000));

        assertProblem(response, 414, "uri-too-long");
    }

    @Test
    void aMalformedQueryStringIsA400ProblemNotA500() {
        RawHttp.Response response = send("GET", "/v1/payments?idempotencyKey=%zz");

        assertProblem(response, 400, "malformed-request");
    }

    @ParameterizedTest(name = "Accept: {0}")
    @ValueSource(strings = {"*/*", "text/html", "application/json"})
    void anUnknownPathIsA404ProblemWhateverTheClientAccepts(String accept) {
        RawHttp.Response response = send("GET", "/v1/nothing-here", "Accept: " + accept);

        assertProblem(response, 404, "not-found");
    }

    @Test
    void theErrorPathItselfIsNoEndpoint() {
        assertProblem(send("GET", "/error"), 404, "not-found");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "DELETE, /v1/payments, 405, method-not-allowed",
            "TRACE,  /v1/payments, 405, method-not-allowed",
            "PUT,    /v1/payments/x, 405, method-not-allowed"})
    void aMethodNoEndpointHasIsA405Problem(String method, String target, int status, String type) {
        assertProblem(send(method, target), status, type);
    }

    @Test
    void aBodyThatIsNotJsonIsA415Problem() {
        RawHttp.Response response = sendBody("POST", "/v1/payments", "amount=1.00",
                "Content-Type: text/plain", "Idempotency-Key: " + UUID.randomUUID());

        assertProblem(response, 415, "unsupported-media-type");
    }

    @Test
    void aDeclaredBodyOverTheLimitIsRefusedUnread() {
        // Given a request announcing a body over the 64 KB limit (and sending none of it)
        String key = UUID.randomUUID().toString();

        // When
        RawHttp.Response response = sendBody("POST", "/v1/payments", "",
                "Content-Type: application/json", "Idempotency-Key: " + key, "Content-Length: 100000");

        // Then
        assertProblem(response, 413, "request-body-too-large");
        assertThat(paymentsWithKey(key)).isZero();
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefused() {
        // Given a body of unannounced length that grows past the limit
        String key = UUID.randomUUID().toString();
        String json = payment("\"1.00\"").replace("}", ",\"reference\":\"" + "r".repeat(70_000) + "\"}");
        String chunked = Integer.toHexString(json.length()) + "\r\n" + json + "\r\n0\r\n\r\n";

        // When
        RawHttp.Response response = sendBody("POST", "/v1/payments", chunked,
                "Content-Type: application/json", "Idempotency-Key: " + key, "Transfer-Encoding: chunked");

        // Then
        assertProblem(response, 413, "request-body-too-large");
        assertThat(paymentsWithKey(key)).isZero();
    }

    @Test
    void aMalformedChunkedBodyIsA400Problem() {
        RawHttp.Response response = sendBody("POST", "/v1/payments", "zz\r\n{}\r\n",
                "Content-Type: application/json", "Idempotency-Key: " + UUID.randomUUID(),
                "Transfer-Encoding: chunked");

        assertProblem(response, 400, "malformed-request");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a header without a colon | GET /v1/payments/x HTTP/1.1\\r\\nHost: x\\r\\nBad Header\\r\\nConnection: close\\r\\n\\r\\n | 400 | malformed-request",
            "no Host header           | GET /v1/payments/x HTTP/1.1\\r\\nConnection: close\\r\\n\\r\\n                      | 400 | malformed-request",
            "a method that is no token| G@T /v1/payments/x HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n             | 400 | malformed-request",
            "an unknown HTTP version  | GET /v1/payments/x HTTP/9.9\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n             | 505 | http-version-not-supported",
            "an unknown transfer coding | POST /v1/payments HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: gzip\\r\\nConnection: close\\r\\n\\r\\n | 501 | not-implemented"})
    void whatTomcatCannotParseIsAProblemToo(String name, String request, int status, String type) {
        // Given a request line and headers exactly as written (CsvSource holds them with escaped CRLFs)
        byte[] bytes = request.replace("\\r\\n", "\r\n").getBytes(StandardCharsets.US_ASCII);

        // When
        RawHttp.Response response = raw.sendBytes(bytes);

        // Then
        assertProblem(response, status, type);
    }
}
