package io.payledger.ledger.it;

import static io.payledger.ledger.it.LedgerTestSupport.CLIENT_A;
import static io.payledger.ledger.it.LedgerTestSupport.CLIENT_B;
import static io.payledger.ledger.it.LedgerTestSupport.OPERATOR;
import static io.payledger.ledger.it.LedgerTestSupport.approved;
import static io.payledger.ledger.it.LedgerTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.SharedInfrastructure;
import io.payledger.testsupport.SharedIssuer;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Accounts belong to the client that opened them, with real tokens from the shared issuer: the owner and
 * operators read an account, its statement and its transactions; a client that looks accounts up reads
 * the account only; anyone else gets exactly the 404 of something that does not exist.
 */
@LedgerIntegrationTest
class AccountOwnershipTest {

    /** payment-service's client at the shared issuer: accounts:lookup and nothing else. */
    private static final String LOOKUP = SharedIssuer.PAYMENT_SERVICE;
    /** payments:read only. */
    private static final String READER = SharedIssuer.READER;

    @LocalServerPort
    int port;

    private LedgerTestSupport ledger;
    private HttpApi operator;
    private HttpApi clientA;
    private HttpApi clientB;
    private Jdbi books;

    @BeforeEach
    void clients() {
        ledger = new LedgerTestSupport(port);
        operator = ledger.api;
        clientA = LedgerTestSupport.api(port, CLIENT_A);
        clientB = LedgerTestSupport.api(port, CLIENT_B);
        books = LedgerTestSupport.books(SharedInfrastructure.postgres().jdbcUrl(),
                SharedInfrastructure.postgres().username(), SharedInfrastructure.postgres().password());
    }

    @Test
    void anAccountItsStatementAndItsTransactionsAreTheOwnersAndOperatorsOnly() {
        // Given client A's account, funded by a payment from the operator's SYSTEM account
        String mint = unique("mint");
        ledger.openAccount(mint, "USD", "SYSTEM");
        String account = unique("a");
        HttpApi.Response opened = clientA.post("/v1/accounts", body(account, "CUSTOMER"));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        assertThat(opened.json().get("owner").asString()).isEqualTo(CLIENT_A);
        String payment = UUID.randomUUID().toString();
        ledger.send(approved(payment, mint, account, 1_000, "USD"));
        ledger.outcomesFor(payment);
        String accountPath = "/v1/accounts/" + account;
        String statementPath = accountPath + "/entries";
        String transactionPath = "/v1/transactions/" + payment;

        // Then client A reads all three
        assertThat(clientA.get(accountPath).json().get("owner").asString()).isEqualTo(CLIENT_A);
        assertThat(clientA.get(accountPath).json().get("balanceMinor").asLong()).isEqualTo(1_000);
        assertThat(clientA.get(statementPath).json().get("entries")).hasSize(1);
        assertThat(clientA.get(transactionPath).json().get("status").asString()).isEqualTo("POSTED");

        // And client B gets for each the very 404 of an account or transaction that does not exist
        String nobody = unique("nobody");
        String noPayment = UUID.randomUUID().toString();
        assertSameNotFound(clientB.get(accountPath), clientB.get("/v1/accounts/" + nobody), account, nobody);
        assertSameNotFound(clientB.get(statementPath), clientB.get("/v1/accounts/" + nobody + "/entries"),
                account, nobody);
        assertSameNotFound(clientB.get(transactionPath), clientB.get("/v1/transactions/" + noPayment),
                payment, noPayment);

        // And the operator reads all three
        assertThat(operator.get(accountPath).json().get("owner").asString()).isEqualTo(CLIENT_A);
        assertThat(operator.get(statementPath).json().get("entries")).hasSize(1);
        assertThat(operator.get(transactionPath).json().get("status").asString()).isEqualTo("POSTED");

        // And a client that looks accounts up (accounts:lookup) reads the account, owner included, but not
        // its statement, which its scopes do not reach
        HttpApi lookup = LedgerTestSupport.api(port, LOOKUP);
        HttpApi.Response looked = lookup.get(accountPath);
        assertThat(looked.status()).as(looked.body()).isEqualTo(200);
        assertThat(looked.json().get("currency").asString()).isEqualTo("USD");
        assertThat(looked.json().get("type").asString()).isEqualTo("CUSTOMER");
        assertThat(looked.json().get("owner").asString()).isEqualTo(CLIENT_A);
        HttpApi.Response statement = lookup.get(statementPath);
        assertThat(statement.status()).as(statement.body()).isEqualTo(403);
        assertThat(statement.json().get("type").asString()).isEqualTo("urn:payledger:problem:insufficient-scope");
        assertThat(statement.body()).doesNotContain(payment);
    }

    @Test
    void theSourceAccountsOwnerReadsTheTransactionToo() {
        // Given a payment from client A's account to client B's
        String mint = unique("mint");
        ledger.openAccount(mint, "USD", "SYSTEM");
        String fromA = unique("a");
        String toB = unique("b");
        assertThat(clientA.post("/v1/accounts", body(fromA, "CUSTOMER")).status()).isEqualTo(201);
        assertThat(clientB.post("/v1/accounts", body(toB, "CUSTOMER")).status()).isEqualTo(201);
        String funding = UUID.randomUUID().toString();
        String payment = UUID.randomUUID().toString();
        ledger.send(approved(funding, mint, fromA, 500, "USD"));
        ledger.send(approved(payment, fromA, toB, 200, "USD"));
        ledger.outcomesFor(funding, payment);

        // Then both owners read it, and neither reads the other's account
        assertThat(clientA.get("/v1/transactions/" + payment).status()).isEqualTo(200);
        assertThat(clientB.get("/v1/transactions/" + payment).status()).isEqualTo(200);
        assertThat(clientA.get("/v1/accounts/" + toB).status()).isEqualTo(404);
        assertThat(clientB.get("/v1/accounts/" + fromA).status()).isEqualTo(404);
        // And the funding payment, between the operator's account and A's, is not B's to read
        assertThat(clientB.get("/v1/transactions/" + funding).status()).isEqualTo(404);
    }

    @Test
    void anAccountFromBeforeOwnersIsOnlyForOperators() {
        // Given an account opened before accounts had owners
        String legacy = unique("legacy");
        books.useHandle(h -> h.createUpdate(
                        "INSERT INTO accounts (account_id, currency, type) VALUES (:id, 'USD', 'CUSTOMER')")
                .bind("id", legacy).execute());

        // Then the operator reads it, with no owner, and clients get a 404
        HttpApi.Response seen = operator.get("/v1/accounts/" + legacy);
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.json().get("owner").isNull()).isTrue();
        assertThat(operator.get("/v1/accounts/" + legacy + "/entries").status()).isEqualTo(200);
        assertThat(clientA.get("/v1/accounts/" + legacy).status()).isEqualTo(404);
        assertThat(clientA.get("/v1/accounts/" + legacy + "/entries").status()).isEqualTo(404);
    }

    @Test
    void aClientWithoutFundingCannotOpenASystemAccountAndNothingIsCreated() {
        // Given client A, without scope funding
        String id = unique("mint-a");

        // When it opens a SYSTEM account
        HttpApi.Response refused = clientA.post("/v1/accounts", body(id, "SYSTEM"));

        // Then it is refused with a problem, and no account exists
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("type").asString())
                .isEqualTo("urn:payledger:problem:system-account-needs-funding-scope");
        assertThat(refused.json().get("detail").asString()).contains("funding");
        assertThat(accountRows(id)).isZero();
        assertThat(operator.get("/v1/accounts/" + id).status()).isEqualTo(404);
    }

    @Test
    void theOperatorWithFundingOpensASystemAccount() {
        String id = unique("mint-ops");

        HttpApi.Response opened = operator.post("/v1/accounts", body(id, "SYSTEM"));

        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        assertThat(opened.json().get("type").asString()).isEqualTo("SYSTEM");
        assertThat(opened.json().get("owner").asString()).isEqualTo(OPERATOR);
        assertThat(accountRows(id)).isOne();
    }

    @Test
    void aRequestWithoutATokenIs401AndChangesNothing() {
        // Given a client with no token
        HttpApi anonymous = new HttpApi("http://localhost:" + port);
        String id = unique("anon");

        // When it reads an account and opens one
        HttpApi.Response read = anonymous.get("/v1/accounts/" + id);
        HttpApi.Response open = anonymous.post("/v1/accounts", body(id, "CUSTOMER"));

        // Then both are 401 problems that say a bearer token is needed, and nothing is created
        for (HttpApi.Response response : new HttpApi.Response[] {read, open}) {
            assertThat(response.status()).as(response.body()).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
        assertThat(accountRows(id)).isZero();
    }

    @Test
    void aTokenWithoutTheEndpointsScopeIs403InsufficientScopeAndChangesNothing() {
        // Given a client that may only read payments
        HttpApi reader = LedgerTestSupport.api(port, READER);
        String id = unique("reader");

        // When it opens an account
        HttpApi.Response response = reader.post("/v1/accounts", body(id, "CUSTOMER"));

        // Then it is a 403 problem naming the missing scope, and nothing is created
        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer").contains("insufficient_scope");
        assertThat(response.json().get("type").asString()).isEqualTo("urn:payledger:problem:insufficient-scope");
        assertThat(accountRows(id)).isZero();
    }

    /**
     * A refusal is indistinguishable from absence: same status, type, title and detail (but for the ID it
     * names), and nothing about the resource in the body.
     */
    private static void assertSameNotFound(HttpApi.Response refused, HttpApi.Response missing, String refusedId,
                                           String missingId) {
        assertThat(missing.status()).isEqualTo(404);
        assertThat(refused.status()).as(refused.body()).isEqualTo(404);
        assertThat(refused.contentType()).isEqualTo(missing.contentType());
        assertThat(refused.json().get("type")).isEqualTo(missing.json().get("type"));
        assertThat(refused.json().get("title")).isEqualTo(missing.json().get("title"));
        assertThat(refused.json().get("detail").asString())
                .isEqualTo(missing.json().get("detail").asString().replace(missingId, refusedId));
        assertThat(refused.body()).doesNotContain("owner", "balance");
    }

    private long accountRows(String id) {
        return books.withHandle(h -> h.createQuery("SELECT count(*) FROM accounts WHERE account_id = :id")
                .bind("id", id).mapTo(Long.class).one());
    }

    private static String body(String accountId, String type) {
        return HttpApi.toJson(Map.of("accountId", accountId, "currency", "USD", "type", type));
    }
}
