package io.payledger.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.systemtest.PaymentTraffic.Channel;
import io.payledger.systemtest.PaymentTraffic.Outcome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault scenarios: payment-service, fraud-service and notification-service each SIGKILLed under HTTP and Kafka
 * traffic and restarted at once (ledger-service: {@link LedgerServiceKilledTest}). {@link FaultDrill} checks that
 * every accepted payment has exactly one final status, no outcome is published twice, money is conserved, the books
 * verify, every consumer group's lag returns to zero, and prints the recovery time.
 */
class ServiceKilledUnderLoadTest extends SharedStackTest {

    @Test
    void paymentServiceKilledAndRestartedLosesNoAcceptedPaymentAndTakesEveryKafkaCommandOnceBack() throws Exception {
        assumeProcessControl();
        // Given funded accounts and payments flowing over HTTP and Kafka
        FaultDrill drill = FaultDrill.prepare(stack, platform, "payment-service SIGKILL", "EUR",
                FaultDrill.Settings.defaults());

        // When payment-service is killed and restarted under the traffic
        FaultDrill.Result result = drill.run(Faults.killAndRestart(stack, Service.PAYMENT));

        // Then HTTP requests failed while it was down (no answer, or refused: an unanswered one may or may not have
        // made a payment, and the drill accepts either, but never two), every Kafka command was taken once it was
        // back, and every 202 has its payment, final (the drill's checks)
        assertThat(result.count(Outcome.UNCERTAIN) + result.count(Outcome.REFUSED))
                .as("HTTP requests that failed while payment-service was down").isPositive();
        assertThat(result.submissions()).filteredOn(s -> s.channel() == Channel.KAFKA)
                .allMatch(s -> s.outcome() == Outcome.SENT);
        assertThat(result.payments()).filteredOn(p -> p.submission().channel() == Channel.KAFKA)
                .hasSize((int) result.count(Outcome.SENT));
    }

    @Test
    @Tag(SystemTestTags.LONG_FAULT)
    void fraudServiceKilledAndRestartedDecidesEveryPaymentOnce() throws Exception {
        assumeProcessControl();
        // Given funded accounts and payments flowing over HTTP and Kafka
        FaultDrill drill = FaultDrill.prepare(stack, platform, "fraud-service SIGKILL", "EUR",
                FaultDrill.Settings.defaults());

        // When fraud-service (Kafka Streams, exactly-once) is killed and restarted under the traffic
        FaultDrill.Result result = drill.run(Faults.killAndRestart(stack, Service.FRAUD));

        // Then intake never noticed, and every payment was decided and settled once (the drill's checks)
        assertThat(result.submissions()).noneMatch(s -> s.outcome() == Outcome.REFUSED
                || s.outcome() == Outcome.UNCERTAIN);
    }

    @Test
    @Tag(SystemTestTags.LONG_FAULT)
    void notificationServiceKilledAndRestartedCatchesUpWithoutHoldingPaymentsBack() throws Exception {
        assumeProcessControl();
        // Given funded accounts and payments flowing over HTTP and Kafka
        FaultDrill drill = FaultDrill.prepare(stack, platform, "notification-service SIGKILL", "EUR",
                FaultDrill.Settings.defaults());

        // When notification-service is killed and restarted under the traffic
        FaultDrill.Result result = drill.run(Faults.killAndRestart(stack, Service.NOTIFICATION));

        // Then payments went on being settled (the ledger does not wait for notifications), and notification-service's
        // groups caught up (the drill's lag check)
        assertThat(result.submissions()).noneMatch(s -> s.outcome() == Outcome.REFUSED
                || s.outcome() == Outcome.UNCERTAIN);
        // (while it was down the ledger published at half the pre-fault rate at least: single seconds come and go
        // on a busy machine, so the recovery time alone may say a few seconds)
        long downSeconds = java.time.Duration.between(result.injectedAt(), result.restoredAt()).toSeconds();
        int publishedWhileDown = result.recovery().perSecond().stream().limit(downSeconds)
                .mapToInt(Integer::intValue).sum();
        assertThat(publishedWhileDown).as("outcomes published while notification-service was down, %d s",
                downSeconds).isGreaterThanOrEqualTo((int) (0.5 * result.recovery().preFaultPerSecond() * downSeconds));
    }
}
