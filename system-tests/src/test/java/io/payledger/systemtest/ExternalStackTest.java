package io.payledger.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The harness pointed at a stack it did not start, by the services' own variables (docker compose, a cluster). */
class ExternalStackTest {

    @Test
    void aStackNamedByItsVariablesIsUsedAsItIsAndNoneOfItsProcessesCanBeKilled() {
        // Given the variables that name a running stack (the one the scenarios share)
        SystemStack running = SharedSystemStack.get();
        Map<String, String> variables = running.externalEnvironment();
        assertThat(variables).containsEntry(SystemStack.MODE_VARIABLE, "external")
                .containsKeys("PAYMENT_URL", "LEDGER_URL", "NOTIFICATION_URL", "OAUTH2_TOKEN_URI",
                        "KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD");

        // When a harness is made from them
        try (SystemStack external = SystemStack.start(SystemStack.Options.defaults(), variables)) {

            // Then it starts nothing, and refuses to kill what it did not start, saying why
            assertThat(external.controlsProcesses()).isFalse();
            assertThat(external.processControlUnavailable()).hasValueSatisfying(reason ->
                    assertThat(reason).contains("SYSTEM_STACK=external"));
            assertThatThrownBy(() -> external.kill(Service.LEDGER)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("cannot kill");
            assertThat(external.url(Service.PAYMENT)).isEqualTo(running.url(Service.PAYMENT));

            // And through it the operator opens and funds an account, and the ledger posts the funding
            PlatformClient platform = new PlatformClient(external);
            String run = UUID.randomUUID().toString().substring(0, 8);
            String settlement = "external-" + run + "-settlement";
            String customer = "external-" + run + "-customer";
            platform.openSystemAccount(settlement, "EUR");
            platform.openCustomerAccount(customer, "EUR");
            String funding = platform.fund("funding-" + customer, settlement, customer, 12_34, "EUR");
            await().atMost(Duration.ofMinutes(2)).until(() -> platform.status(funding).equals("POSTED"));
            assertThat(platform.balance(customer)).isEqualTo(12_34);
            assertThat(platform.balance(settlement)).isEqualTo(-12_34);

            // And payledger-ops reaches the same database and broker with the same variables
            Invariants.Verification verification = new Invariants(external, platform).verifyEvents();
            assertThat(verification.exitCode()).as(verification.output()).isZero();
            assertThat(verification.output()).contains("[ok] ledger.transactions has one outcome per transaction");
        }
        if (running.controlsProcesses()) {
            assertThat(running.running(Service.LEDGER)).as("closing the external harness stops nothing").isTrue();
        }
    }
}
