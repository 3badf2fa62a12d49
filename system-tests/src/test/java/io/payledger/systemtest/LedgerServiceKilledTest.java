package io.payledger.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.payledger.systemtest.Invariants.LedgerOutcome;
import io.payledger.systemtest.Invariants.Payment;
import io.payledger.systemtest.PaymentTraffic.Channel;
import io.payledger.systemtest.PaymentTraffic.Outcome;
import io.payledger.systemtest.PaymentTraffic.Submission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault scenario: ledger-service is SIGKILLed while payments flow over HTTP and Kafka, and restarted while they keep
 * coming. Nothing accepted may be lost or applied twice.
 */
class LedgerServiceKilledTest {

    private static final Logger log = LoggerFactory.getLogger(LedgerServiceKilledTest.class);
    private static final String CURRENCY = "USD";
    private static final long FUNDING_MINOR = 1_000_00;
    private static final int PAYMENTS_PER_SECOND = 10;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private static SystemStack stack;
    private static PlatformClient platform;

    @BeforeAll
    static void startStack() {
        stack = SharedSystemStack.get();
        platform = new PlatformClient(stack);
    }

    @Test
    void everyAcceptedPaymentIsSettledExactlyOnceAcrossALedgerServiceKillAndRestart() {
        assumeTrue(stack.controlsProcesses(), () -> "skipped: " + stack.processControlUnavailable().orElseThrow());

        // Given a SYSTEM account and four funded customer accounts of the wallet, names unique to this run
        String run = UUID.randomUUID().toString().substring(0, 8);
        String settlement = "systest-" + run + "-settlement";
        List<String> customers = List.of("a", "b", "c", "d").stream().map(n -> "systest-" + run + "-" + n).toList();
        platform.openSystemAccount(settlement, CURRENCY);
        customers.forEach(account -> platform.openCustomerAccount(account, CURRENCY));
        List<String> funding = new ArrayList<>();
        for (String customer : customers) {
            funding.add(platform.fund("funding-" + customer, settlement, customer, FUNDING_MINOR, CURRENCY));
        }
        await().atMost(TIMEOUT).until(() -> funding.stream().allMatch(id -> platform.status(id).equals("POSTED")));
        List<String> accounts = new ArrayList<>(customers);
        accounts.add(settlement);

        // And payments flowing between them, one in five a command on the wallet's Kafka topic
        Invariants invariants = new Invariants(stack, platform);
        PaymentTraffic traffic = new PaymentTraffic(stack, platform, customers, CURRENCY, 500, 5);
        Instant trafficStarted = Instant.now();
        traffic.start(PAYMENTS_PER_SECOND);
        Instant killedAt;
        Instant restartedAt;
        Instant readyAt;
        try {
            await().atMost(TIMEOUT).until(() -> traffic.count(Outcome.ACCEPTED, trafficStarted) >= 30);

            // When ledger-service is killed (SIGKILL) while payments keep coming
            long pid = stack.pid(Service.LEDGER);
            killedAt = Instant.now();
            stack.kill(Service.LEDGER);
            assertThat(stack.running(Service.LEDGER)).isFalse();
            assertThat(ProcessHandle.of(pid)).isEmpty();
            await().atMost(TIMEOUT).until(() -> traffic.count(Outcome.ACCEPTED, killedAt) >= 30
                    && traffic.count(Outcome.SENT, killedAt) >= 5);

            // Then intake goes on accepting, and what came in since the kill waits for the ledger
            List<Submission> sinceKill = traffic.submissions().stream()
                    .filter(s -> s.outcome() == Outcome.ACCEPTED && !s.sentAt().isBefore(killedAt)).toList();
            for (Submission submission : sinceKill.subList(0, 20)) {
                assertThat(platform.status(submission.paymentId())).as(submission.toString()).isEqualTo("PENDING");
            }

            // When it is started again, on the same ports, the traffic still flowing
            restartedAt = Instant.now();
            stack.restart(Service.LEDGER);
            readyAt = Instant.now();
            await().atMost(TIMEOUT).until(() -> traffic.count(Outcome.ACCEPTED, readyAt) >= 20);
        } finally {
            traffic.close();
        }

        // Then every accepted payment, over HTTP or Kafka, reaches exactly one final status
        List<Submission> submissions = traffic.submissions();
        List<Payment> payments = invariants.awaitFinal(submissions, TIMEOUT);
        Set<String> settledKeys = payments.stream().map(p -> p.submission().key()).collect(Collectors.toSet());
        for (Submission submission : submissions) {
            if (submission.outcome() == Outcome.ACCEPTED || submission.outcome() == Outcome.SENT) {
                assertThat(settledKeys).as("payment of %s", submission).contains(submission.key());
            }
        }
        assertThat(submissions).as("HTTP requests refused or unanswered")
                .noneMatch(s -> s.outcome() == Outcome.REFUSED || s.outcome() == Outcome.UNCERTAIN);
        assertThat(payments).extracting(Payment::status).isSubsetOf("POSTED", "DECLINED", "REJECTED")
                .contains("POSTED");
        assertThat(payments.stream().filter(p -> p.submission().channel() == Channel.KAFKA)).isNotEmpty();

        // And the ledger published one outcome per transaction, never one twice, each matching the payment's status
        List<LedgerOutcome> outcomes = invariants.ledgerOutcomes();
        Map<String, List<LedgerOutcome>> byTransaction = outcomes.stream()
                .collect(Collectors.groupingBy(LedgerOutcome::transactionId));
        assertThat(byTransaction.values()).as("transactions published more than once")
                .allMatch(list -> list.size() == 1);
        for (Payment payment : payments) {
            List<LedgerOutcome> published = byTransaction.getOrDefault(payment.paymentId(), List.of());
            switch (payment.status()) {
                case "POSTED", "DECLINED" -> assertThat(published).as(payment.toString())
                        .singleElement().extracting(LedgerOutcome::kind).isEqualTo(payment.status());
                default -> assertThat(published).as(payment.toString()).isEmpty();
            }
        }

        // And money is conserved: the accounts hold what the funding put in, moved exactly by the posted payments
        Map<String, Long> expected = new HashMap<>();
        customers.forEach(account -> expected.put(account, FUNDING_MINOR));
        expected.put(settlement, -FUNDING_MINOR * customers.size());
        for (Payment payment : payments) {
            if (payment.status().equals("POSTED")) {
                expected.merge(payment.submission().from(), -payment.submission().amountMinor(), Long::sum);
                expected.merge(payment.submission().to(), payment.submission().amountMinor(), Long::sum);
            }
        }
        Map<String, Long> balances = accounts.stream().collect(Collectors.toMap(Function.identity(), platform::balance));
        assertThat(balances).isEqualTo(expected);
        assertThat(balances.values().stream().mapToLong(Long::longValue).sum()).isZero();

        // And payledger-ops verify --events finds the books and the ledger's topics sound
        Invariants.Verification verification = invariants.verifyEvents();
        assertThat(verification.exitCode()).as(verification.output()).isZero();

        // And the ledger came back: its first posting after the restart, measured from the kill
        Instant firstPostingAfterKill = outcomes.stream().filter(o -> o.kind().equals("POSTED"))
                .map(LedgerOutcome::occurredAt).filter(t -> t.isAfter(killedAt)).min(Instant::compareTo).orElseThrow();
        assertThat(firstPostingAfterKill).isAfter(restartedAt);
        // (what the kill cost: end-to-end latency, send to outcome published, of what was sent before it and after it)
        List<Payment> before = payments.stream().filter(p -> p.submission().sentAt().isBefore(killedAt)).toList();
        List<Payment> during = payments.stream().filter(p -> !p.submission().sentAt().isBefore(killedAt)
                && p.submission().sentAt().isBefore(readyAt)).toList();
        List<Duration> latencyBefore = Invariants.latencies(before, outcomes);
        List<Duration> latencyDuring = Invariants.latencies(during, outcomes);
        Set<String> sentWhileDown = during.stream().map(Payment::paymentId).collect(Collectors.toSet());
        assertThat(outcomes.stream().filter(o -> sentWhileDown.contains(o.transactionId())))
                .as("outcomes of payments sent while the ledger was down").isNotEmpty()
                .allMatch(o -> o.publishedAt().isAfter(restartedAt));
        long recoveryMillis = Duration.between(killedAt, firstPostingAfterKill).toMillis();
        System.out.printf("RECOVERY ledger-service SIGKILL: kill -> first posting after restart %d ms (restart to ready "
                        + "%d ms); %d payments (%d over Kafka); send -> outcome p50/p99 before the kill %d/%d ms, "
                        + "sent while it was down %d/%d ms%n", recoveryMillis,
                Duration.between(restartedAt, readyAt).toMillis(), payments.size(),
                payments.stream().filter(p -> p.submission().channel() == Channel.KAFKA).count(),
                Invariants.percentile(latencyBefore, 50).toMillis(), Invariants.percentile(latencyBefore, 99).toMillis(),
                Invariants.percentile(latencyDuring, 50).toMillis(), Invariants.percentile(latencyDuring, 99).toMillis());
        log.info("payledger-ops verify --events after the kill:\n{}", verification.output().strip());
    }
}
