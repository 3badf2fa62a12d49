package io.payledger.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.systemtest.PaymentTraffic.Channel;
import io.payledger.systemtest.PaymentTraffic.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault scenarios: the broker stopped and started again, and PostgreSQL stopped for 30 s, under HTTP and Kafka
 * traffic, with all of {@link FaultDrill}'s checks and its recovery time.
 */
class InfrastructureFaultsUnderLoadTest extends SharedStackTest {

    @Test
    void theBrokerStoppedAndStartedUnderLoadLosesNothingAndDoublesNothing() throws Exception {
        assumeProcessControl();
        // Given funded accounts and payments flowing over HTTP and Kafka
        FaultDrill drill = FaultDrill.prepare(stack, platform, "broker restart", "GBP", FaultDrill.Settings.defaults());

        // When the broker is stopped and started again (its data kept) under the traffic
        FaultDrill.Result result = drill.run(Faults.brokerRestart(stack));

        // Then HTTP intake, which records payments in its own database and publishes them from its outbox, went on
        // accepting; and everything accepted was settled once (the drill's checks)
        assertThat(result.submissions()).filteredOn(s -> s.channel() == Channel.HTTP)
                .noneMatch(s -> s.outcome() == Outcome.REFUSED);
        assertThat(result.count(Outcome.ACCEPTED)).isPositive();
    }

    @Test
    @Tag(SystemTestTags.LONG_FAULT)
    void postgresqlStoppedForThirtySecondsUnderLoadLosesNothingAndDoublesNothing() throws Exception {
        assumeProcessControl();
        // Given funded accounts and payments flowing over HTTP and Kafka
        FaultDrill drill = FaultDrill.prepare(stack, platform, "postgresql 30 s outage", "GBP",
                FaultDrill.Settings.defaults());

        // When PostgreSQL is stopped for 30 s under the traffic, then started again (its data kept)
        FaultDrill.Result result = drill.run(Faults.databaseOutage(stack, Duration.ofSeconds(30)));

        // Then every Kafka command sent meanwhile was taken once the database was back, and every accepted payment
        // settled once (the drill's checks); HTTP requests during the outage failed or were refused, never lost
        assertThat(result.payments()).filteredOn(p -> p.submission().channel() == Channel.KAFKA
                        && p.submission().sentAt().isAfter(result.injectedAt())
                        && p.submission().sentAt().isBefore(result.restoredAt()))
                .as("Kafka commands sent during the outage, each taken").isNotEmpty();
        assertThat(Duration.between(result.injectedAt(), result.restoredAt())).isGreaterThanOrEqualTo(
                Duration.ofSeconds(30));
    }
}
