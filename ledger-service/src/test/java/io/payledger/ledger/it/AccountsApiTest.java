package io.payledger.ledger.it;

import static io.payledger.ledger.it.LedgerTestSupport.approved;
import static io.payledger.ledger.it.LedgerTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.testsupport.HttpApi;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@LedgerIntegrationTest
class AccountsApiTest {

    @LocalServerPort
    int port;

    private LedgerTestSupport ledger;

    @BeforeEach
    void setUp() {
        ledger = new LedgerTestSupport(port);
    }

    @Test
    void opensAnAccountWithAZeroBalance() {
        String id = unique("dave");

        HttpApi.Response created = ledger.api.post("/v1/accounts",
                "{\"accountId\":\"" + id + "\",\"currency\":\"JPY\",\"type\":\"CUSTOMER\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/v1/accounts/" + id);
        JsonNode account = ledger.api.get("/v1/accounts/" + id).json();
        assertThat(account.get("balanceMinor").asLong()).isZero();
        assertThat(account.get("balance").asText()).isEqualTo("0");
        assertThat(account.get("currency").asText()).isEqualTo("JPY");
        assertThat(account.get("type").asText()).isEqualTo("CUSTOMER");
        assertThat(account.get("version").asLong()).isZero();
    }

    @Test
    void generatesAnIdWhenNoneIsGiven() {
        HttpApi.Response created = ledger.api.post("/v1/accounts", "{\"currency\":\"EUR\",\"type\":\"SYSTEM\"}");

        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("accountId").asText();
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(ledger.api.get("/v1/accounts/" + id).status()).isEqualTo(200);
    }

    @Test
    void refusesASecondAccountWithTheSameId() {
        String id = unique("erin");
        ledger.openAccount(id, "USD", "CUSTOMER");

        HttpApi.Response again = ledger.api.post("/v1/accounts",
                "{\"accountId\":\"" + id + "\",\"currency\":\"EUR\",\"type\":\"SYSTEM\"}");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("type").asText()).isEqualTo("urn:payledger:problem:account-exists");
        assertThat(ledger.api.get("/v1/accounts/" + id).json().get("currency").asText()).isEqualTo("USD");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"currency\":\"USD\"}                                     | invalid-account",
            "{\"currency\":\"USD\",\"type\":\"GOLD\"}                   | invalid-account",
            "{\"currency\":\"usd\",\"type\":\"CUSTOMER\"}               | invalid-currency",
            "{\"currency\":\"XYZ\",\"type\":\"CUSTOMER\"}               | invalid-currency",
            "{\"type\":\"CUSTOMER\"}                                    | invalid-currency",
            "{\"accountId\":\"has space\",\"currency\":\"USD\",\"type\":\"CUSTOMER\"} | invalid-account",
            "{not json                                                  | malformed-request"})
    void refusesInvalidAccountsWithAProblemAndCreatesNothing(String body, String type) {
        HttpApi.Response response = ledger.api.post("/v1/accounts", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("urn:payledger:problem:" + type);
        assertThat(response.json().get("detail").asText()).isNotBlank();
        assertThat(ledger.api.get("/v1/accounts/has%20space").status()).isEqualTo(404);
    }

    @Test
    void unknownAccountsAndTransactionsAreNotFoundProblems() {
        HttpApi.Response account = ledger.api.get("/v1/accounts/" + unique("nobody"));
        HttpApi.Response transaction = ledger.api.get("/v1/transactions/" + UUID.randomUUID());

        assertThat(account.status()).isEqualTo(404);
        assertThat(account.json().get("type").asText()).isEqualTo("urn:payledger:problem:account-not-found");
        assertThat(transaction.status()).isEqualTo(404);
        assertThat(transaction.contentType()).startsWith("application/problem+json");
    }

    @Test
    void theStatementPagesNewestFirstWithoutGapsOrRepeats() {
        // Given five postings to one account
        String source = unique("mint");
        String target = unique("frank");
        ledger.openAccount(source, "USD", "SYSTEM");
        ledger.openAccount(target, "USD", "CUSTOMER");
        List<String> payments = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String payment = UUID.randomUUID().toString();
            payments.add(payment);
            ledger.send(approved(payment, source, target, i * 100L, "USD"));
        }
        ledger.outcomesFor(payments.toArray(String[]::new));

        // When the statement is read two entries at a time
        JsonNode first = ledger.api.get("/v1/accounts/" + target + "/entries?limit=2").json();
        JsonNode second = ledger.api.get("/v1/accounts/" + target + "/entries?limit=2&before="
                + first.get("nextBefore").asLong()).json();
        JsonNode third = ledger.api.get("/v1/accounts/" + target + "/entries?limit=2&before="
                + second.get("nextBefore").asLong()).json();

        // Then sequences run 5..1, balances accumulate, and the last page says there is no more
        List<Long> sequences = new ArrayList<>();
        for (JsonNode page : List.of(first, second, third)) {
            page.get("entries").forEach(entry -> sequences.add(entry.get("sequence").asLong()));
        }
        assertThat(sequences).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(first.get("entries").get(0).get("balanceAfterMinor").asLong()).isEqualTo(1_500);
        assertThat(first.get("entries").get(0).get("balanceAfter").asText()).isEqualTo("15.00");
        assertThat(third.get("nextBefore").isNull()).isTrue();
        assertThat(ledger.api.get("/v1/accounts/" + target + "/entries?limit=0").status()).isEqualTo(400);
    }
}
