package io.payledger.systemtest;

import static org.awaitility.Awaitility.await;

import io.payledger.testsupport.HttpApi;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The platform's public APIs as the system tests use them, with the stack's clients' tokens: the operator reads
 * everything ({@code ops}) and funds from SYSTEM accounts ({@code funding}); the wallet owns customer accounts
 * and pays out of them.
 */
public final class PlatformClient {

    private static final String UNKNOWN_ACCOUNT = "urn:payledger:problem:unknown-account";

    private final HttpApi operatorPayments;
    private final HttpApi operatorLedger;
    private final HttpApi walletPayments;
    private final HttpApi walletLedger;

    public PlatformClient(SystemStack stack) {
        operatorPayments = new HttpApi(stack.url(Service.PAYMENT), SystemStack.tokens(stack.operator()));
        operatorLedger = new HttpApi(stack.url(Service.LEDGER), SystemStack.tokens(stack.operator()));
        walletPayments = new HttpApi(stack.url(Service.PAYMENT), SystemStack.tokens(stack.wallet()));
        walletLedger = new HttpApi(stack.url(Service.LEDGER), SystemStack.tokens(stack.wallet()));
    }

    /** Opens a SYSTEM account as the operator. */
    public void openSystemAccount(String accountId, String currency) {
        open(operatorLedger, accountId, currency, "SYSTEM");
    }

    /** Opens a CUSTOMER account as the wallet, which owns it. */
    public void openCustomerAccount(String accountId, String currency) {
        open(walletLedger, accountId, currency, "CUSTOMER");
    }

    private static void open(HttpApi ledger, String accountId, String currency, String type) {
        HttpApi.Response response = ledger.post("/v1/accounts", HttpApi.toJson(Map.of("accountId", accountId,
                "currency", currency, "type", type)));
        if (response.status() != 201) {
            throw new IllegalStateException("opening " + accountId + ": " + response.status() + " " + response.body());
        }
    }

    /**
     * The operator pays {@code amountMinor} from a SYSTEM account; retried with the same key while payment-service
     * has not yet learnt a just-opened account from ledger.accounts (422 unknown-account). Returns the payment ID.
     */
    public String fund(String key, String systemAccount, String account, long amountMinor, String currency) {
        HttpApi.Response[] accepted = new HttpApi.Response[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpApi.Response response = pay(operatorPayments, key, systemAccount, account, amountMinor, currency);
            if (response.status() == 422 && response.body().contains(UNKNOWN_ACCOUNT)) {
                return false;
            }
            if (response.status() != 202) {
                throw new IllegalStateException("funding " + account + ": " + response.status() + " " + response.body());
            }
            accepted[0] = response;
            return true;
        });
        return accepted[0].json().get("paymentId").asText();
    }

    /** The wallet pays between accounts it owns. The answer as it came: 202 is an accepted payment. */
    public HttpApi.Response walletPay(String key, String from, String to, long amountMinor, String currency) {
        return pay(walletPayments, key, from, to, amountMinor, currency);
    }

    private static HttpApi.Response pay(HttpApi payments, String key, String from, String to, long amountMinor,
                                        String currency) {
        return payments.post("/v1/payments", HttpApi.toJson(Map.of("sourceAccountId", from, "destinationAccountId", to,
                "amount", decimal(amountMinor), "currency", currency)), Map.of("Idempotency-Key", key));
    }

    /** The wallet's payment made with this Idempotency-Key (or Kafka commandId), if there is one. */
    public Optional<JsonNode> walletPaymentByKey(String key) {
        HttpApi.Response response = walletPayments.get("/v1/payments?idempotencyKey=" + key);
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (response.status() != 200) {
            throw new IllegalStateException("payment with key " + key + ": " + response.status() + " " + response.body());
        }
        return Optional.of(response.json());
    }

    /** A payment as payment-service reports it (status PENDING, POSTED, DECLINED or REJECTED). */
    public JsonNode payment(String paymentId) {
        HttpApi.Response response = operatorPayments.get("/v1/payments/" + paymentId);
        if (response.status() != 200) {
            throw new IllegalStateException("payment " + paymentId + ": " + response.status() + " " + response.body());
        }
        return response.json();
    }

    public String status(String paymentId) {
        return payment(paymentId).get("status").asText();
    }

    /** The account's balance in minor units, as the ledger reports it. */
    public long balance(String accountId) {
        HttpApi.Response response = operatorLedger.get("/v1/accounts/" + accountId);
        if (response.status() != 200) {
            throw new IllegalStateException("account " + accountId + ": " + response.status() + " " + response.body());
        }
        return response.json().get("balanceMinor").asLong();
    }

    /** Minor units as the API's decimal amount, for two-decimal currencies: 1234 is "12.34". */
    static String decimal(long amountMinor) {
        return "%d.%02d".formatted(amountMinor / 100, amountMinor % 100);
    }
}
