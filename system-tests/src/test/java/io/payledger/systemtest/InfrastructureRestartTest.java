package io.payledger.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The harness stops and starts the broker and PostgreSQL under the running services, their data kept. */
@Tag(SystemTestTags.LONG_FAULT)
class InfrastructureRestartTest {

    @Test
    void theServicesCarryOnAfterTheBrokerAndThenPostgresqlAreStoppedAndStartedAgain() {
        SystemStack stack = SharedSystemStack.get();
        assumeTrue(stack.controlsProcesses(), () -> "skipped: " + stack.processControlUnavailable().orElseThrow());
        // Given two accounts, funded
        PlatformClient platform = new PlatformClient(stack);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String settlement = "infra-" + run + "-settlement";
        String customer = "infra-" + run + "-customer";
        platform.openSystemAccount(settlement, "GBP");
        platform.openCustomerAccount(customer, "GBP");
        String first = platform.fund("first-" + run, settlement, customer, 1_00, "GBP");
        await().atMost(Duration.ofMinutes(2)).until(() -> platform.status(first).equals("POSTED"));

        // When the broker is stopped and started again
        Instant stopped = Instant.now();
        stack.stopBroker();
        stack.startBroker();

        // Then a payment made after it is posted
        String second = platform.fund("second-" + run, settlement, customer, 2_00, "GBP");
        await().atMost(Duration.ofMinutes(3)).until(() -> platform.status(second).equals("POSTED"));
        System.out.printf("INFRA broker restart: payment posted %d ms after the stop%n",
                Duration.between(stopped, Instant.now()).toMillis());

        // When PostgreSQL is stopped and started again
        stopped = Instant.now();
        stack.stopDatabase();
        stack.startDatabase();

        // Then a payment made after it is posted, and the balance holds all three
        String third = platform.fund("third-" + run, settlement, customer, 3_00, "GBP");
        await().atMost(Duration.ofMinutes(3)).until(() -> platform.status(third).equals("POSTED"));
        System.out.printf("INFRA database restart: payment posted %d ms after the stop%n",
                Duration.between(stopped, Instant.now()).toMillis());
        assertThat(platform.balance(customer)).isEqualTo(6_00);
    }
}
