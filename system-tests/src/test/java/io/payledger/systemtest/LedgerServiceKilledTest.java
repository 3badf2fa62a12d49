package io.payledger.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.systemtest.Invariants.LedgerOutcome;
import io.payledger.systemtest.Invariants.Payment;
import io.payledger.systemtest.PaymentTraffic.Channel;
import io.payledger.systemtest.PaymentTraffic.Outcome;
import io.payledger.systemtest.PaymentTraffic.Submission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Fault scenario: ledger-service is SIGKILLed while payments flow over HTTP and Kafka, and restarted while they keep
 * coming. Nothing accepted may be lost or applied twice ({@link FaultDrill} checks it all), and intake goes on
 * accepting while the ledger is down.
 */
class LedgerServiceKilledTest extends SharedStackTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);


    @Test
    void everyAcceptedPaymentIsSettledExactlyOnceAcrossALedgerServiceKillAndRestart() throws Exception {
        assumeProcessControl();

        // Given funded accounts of the wallet's own, and payments flowing between them, one in five a Kafka command
        FaultDrill drill = FaultDrill.prepare(stack, platform, "ledger-service SIGKILL", "USD",
                FaultDrill.Settings.defaults());
        PaymentTraffic traffic = drill.traffic();
        Instant[] restarted = new Instant[2];

        // When ledger-service is killed (SIGKILL) while payments keep coming, then started again on the same ports
        FaultDrill.Result result = drill.run(new FaultDrill.Fault() {
            @Override
            public void inject(FaultDrill drill) {
                long pid = stack.pid(Service.LEDGER);
                Instant killedAt = Instant.now();
                stack.kill(Service.LEDGER);
                assertThat(stack.running(Service.LEDGER)).isFalse();
                assertThat(ProcessHandle.of(pid)).isEmpty();

                // Then intake goes on accepting, and what came in since the kill waits for the ledger
                await().atMost(TIMEOUT).until(() -> traffic.count(Outcome.ACCEPTED, killedAt) >= 30
                        && traffic.count(Outcome.SENT, killedAt) >= 5);
                List<Submission> sinceKill = traffic.submissions().stream()
                        .filter(s -> s.outcome() == Outcome.ACCEPTED && !s.sentAt().isBefore(killedAt)).toList();
                for (Submission submission : sinceKill.subList(0, 20)) {
                    assertThat(platform.status(submission.paymentId())).as(submission.toString()).isEqualTo("PENDING");
                }
            }

            @Override
            public void restore(FaultDrill drill) {
                restarted[0] = Instant.now();
                stack.restart(Service.LEDGER);
                restarted[1] = Instant.now();
            }
        });
        Instant killedAt = result.injectedAt();
        Instant restartedAt = restarted[0];
        Instant readyAt = restarted[1];

        // Then (besides the drill's checks) no HTTP request went unanswered or was refused, over HTTP and Kafka alike
        List<Payment> payments = result.payments();
        assertThat(result.submissions()).as("HTTP requests refused or unanswered")
                .noneMatch(s -> s.outcome() == Outcome.REFUSED || s.outcome() == Outcome.UNCERTAIN);
        assertThat(payments).extracting(Payment::status).contains("POSTED");
        assertThat(payments.stream().filter(p -> p.submission().channel() == Channel.KAFKA)).isNotEmpty();

        // And the ledger came back: its first posting after the kill came after the restart
        List<LedgerOutcome> outcomes = result.paymentOutcomes();
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
        System.out.printf("LATENCY ledger-service SIGKILL: kill -> first posting after restart %d ms (restart to ready "
                        + "%d ms); send -> outcome p50/p99 before the kill %d/%d ms, sent while it was down %d/%d ms%n",
                Duration.between(killedAt, firstPostingAfterKill).toMillis(),
                Duration.between(restartedAt, readyAt).toMillis(),
                Invariants.percentile(latencyBefore, 50).toMillis(), Invariants.percentile(latencyBefore, 99).toMillis(),
                Invariants.percentile(latencyDuring, 50).toMillis(), Invariants.percentile(latencyDuring, 99).toMillis());
    }
}
