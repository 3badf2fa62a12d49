package io.payledger.benchmarks;

import io.payledger.demo.ClientCredentials;
import io.payledger.localstack.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The benchmarks' accounts: opened at the ledger over HTTP, then awaited in a service's copy of them. */
final class BenchmarkAccounts {

    private static final Duration COPY_DEADLINE = Duration.ofSeconds(60);

    private BenchmarkAccounts() {
    }

    /** {@code count} new unfunded CUSTOMER accounts owned by {@code owner}, named for this run. */
    static List<String> open(String ledgerUrl, ClientCredentials owner, int count)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String account = "bench-" + run + "-" + i;
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ledgerUrl + "/v1/accounts"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + owner.token())
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"accountId\":\"%s\",\"currency\":\"USD\",\"type\":\"CUSTOMER\"}".formatted(account)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("opening " + account + ": " + response.statusCode() + " "
                        + response.body());
            }
            accounts.add(account);
        }
        return accounts;
    }

    /**
     * Waits until a service's copy of the ledger's accounts ({@code table}, schema-qualified, with an
     * {@code account_id} column; kept from ledger.accounts) has every one of them.
     */
    static void awaitCopied(LocalStack.Database database, String table, List<String> accounts) throws Exception {
        long deadline = System.nanoTime() + COPY_DEADLINE.toNanos();
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
                database.password());
             PreparedStatement known = connection.prepareStatement(
                     "SELECT count(*) FROM " + table + " WHERE account_id = ANY (?)")) {
            known.setArray(1, connection.createArrayOf("text", accounts.toArray()));
            while (true) {
                try (ResultSet result = known.executeQuery()) {
                    result.next();
                    if (result.getLong(1) == accounts.size()) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(table + " did not learn the benchmark's accounts in "
                            + COPY_DEADLINE.toSeconds() + " s");
                }
                // A process outside this one copies them: poll, with a deadline.
                Thread.sleep(50);
            }
        }
    }
}
