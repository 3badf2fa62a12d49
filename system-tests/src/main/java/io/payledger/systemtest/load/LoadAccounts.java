package io.payledger.systemtest.load;

import io.payledger.systemtest.PlatformClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's accounts: a SYSTEM account of the operator, and the wallet's customer accounts, each funded from it with
 * one payment, opened and funded many at a time. The first {@code hotAccounts} are the hot ones.
 *
 * @param system    the SYSTEM account the funding came from
 * @param customers the funded customer accounts, hot ones first
 * @param hot       how many of them are hot
 */
public record LoadAccounts(String system, List<String> customers, int hot) {

    private static final Logger log = LoggerFactory.getLogger(LoadAccounts.class);
    private static final int PARALLELISM = 32;

    /**
     * Opens and funds {@code options.accounts()} customer accounts named {@code load-<run>-<n>}, and waits until
     * every funding payment is POSTED (the tracker sees it on ledger.transactions).
     */
    static LoadAccounts open(PlatformClient platform, OutcomeTracker tracker, String run, LoadOptions options,
                             Duration timeout) {
        long started = System.nanoTime();
        String system = "load-" + run + "-system";
        retried(() -> {
            platform.openSystemAccount(system, options.currency());
            return null;
        });
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < options.accounts(); i++) {
            customers.add("load-%s-%05d".formatted(run, i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM, r -> {
            Thread thread = new Thread(r, "load-funding");
            thread.setDaemon(true);
            return thread;
        });
        List<String> fundingPayments = new ArrayList<>();
        try {
            // Every account opened first, then every one funded: by then payment-service has learnt most of them
            // from ledger.accounts, so few funding requests are refused as unknown-account and sent again.
            List<Future<Object>> opened = new ArrayList<>();
            for (String customer : customers) {
                opened.add(pool.submit(() -> retried(() -> {
                    platform.openCustomerAccount(customer, options.currency());
                    return null;
                })));
            }
            for (Future<Object> account : opened) {
                account.get();
            }
            List<Future<String>> funded = new ArrayList<>();
            for (String customer : customers) {
                // retried by fund() itself while payment-service has not learnt the account yet
                funded.add(pool.submit(() -> retried(() -> platform.fund("funding-" + customer, system, customer,
                        options.fundingMinor(), options.currency()))));
            }
            for (Future<String> payment : funded) {
                fundingPayments.add(payment.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not open and fund the accounts", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        long accepted = System.nanoTime();
        Map<String, String> outcomes = tracker.awaitFinal(fundingPayments, timeout);
        List<String> notPosted = outcomes.entrySet().stream().filter(e -> !e.getValue().equals("POSTED"))
                .map(e -> e.getKey() + " " + e.getValue()).toList();
        if (!notPosted.isEmpty()) {
            throw new IllegalStateException(notPosted.size() + " funding payments were not posted (funding "
                    + options.fundingMinor() + " minor units over the fraud limit?), e.g. " + notPosted.get(0));
        }
        log.info("{} accounts opened and funded with {} minor units each in {} ms ({} ms until every funding payment "
                        + "was accepted, {} ms more until every one was posted)", customers.size(),
                options.fundingMinor(), (System.nanoTime() - started) / 1_000_000, (accepted - started) / 1_000_000,
                (System.nanoTime() - accepted) / 1_000_000);
        return new LoadAccounts(system, List.copyOf(customers), options.hotAccounts());
    }

    /** A request refused for the client's rate limit (429) is tried again, a few times. */
    private static <T> T retried(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (IllegalStateException e) {
                if (attempt >= 20 || e.getMessage() == null || !e.getMessage().contains(": 429 ")) {
                    throw e;
                }
                OutcomeTracker.sleep(250L * attempt);
            }
        }
    }
}
