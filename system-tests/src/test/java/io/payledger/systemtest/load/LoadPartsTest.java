package io.payledger.systemtest.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The load generator's options and timeline, without a stack. */
class LoadPartsTest {

    private static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void optionsComeFromPropertiesWithDurationsAmountsAndTheDefaultsForTheRest() {
        // Given a few properties, as LoadMain's -D flags give them
        Map<String, String> properties = Map.of("rate", "250", "duration", "90s", "kafkaShare", "0.25",
                "maxAmount", "12.34", "drainTimeout", "2m", "httpTimeout", "PT10S", "httpBatch", "50");

        // When they are read
        LoadOptions options = LoadOptions.from(properties::get);

        // Then they are what they say, and the rest are the defaults
        assertThat(options.rate()).isEqualTo(250);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.payments()).isEqualTo(22_500);
        assertThat(options.maxAmountMinor()).isEqualTo(1234);
        assertThat(options.drainTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.httpTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.httpBatch()).isEqualTo(50);
        assertThat(options.accounts()).isEqualTo(LoadOptions.defaults().accounts());
        assertThat(LoadOptions.defaults().httpBatch()).isEqualTo(1);
        assertThat(LoadOptions.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));

        // And exactly a quarter of any run of payments goes over Kafka, evenly spread
        assertThat(LongStream.range(0, 1000).filter(options::overKafka).count()).isEqualTo(250);
        assertThat(LongStream.range(0, 8).filter(options::overKafka).toArray()).containsExactly(3, 7);

        // And nonsense is refused, naming the option
        assertThatThrownBy(() -> LoadOptions.from(Map.of("kafkaShare", "1.5")::get)).hasMessageContaining("kafkaShare");
        assertThatThrownBy(() -> LoadOptions.from(Map.of("maxAmount", "1.234")::get)).hasMessageContaining("maxAmount");
        assertThatThrownBy(() -> LoadOptions.from(Map.of("hotAccounts", "0", "hotShare", "0.5")::get))
                .hasMessageContaining("hotShare");
        // (a batch the endpoint would refuse whole is refused here first)
        assertThatThrownBy(() -> LoadOptions.from(Map.of("httpBatch", "101")::get)).hasMessageContaining("httpBatch");
        assertThatThrownBy(() -> LoadOptions.from(Map.of("httpBatch", "0")::get)).hasMessageContaining("httpBatch");
    }

    @Test
    void recoveryIsFromTheFaultToTheEndOfTheFirstSecondBackAtTheGivenShareOfTheRateBeforeIt() {
        // Given 100 final outcomes a second for 10 s, none for 5 s after a fault at 10.5 s, then 50, 80 and 95 a second
        Timeline timeline = new Timeline(START, 60);
        long[] perSecond = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 40, 0, 0, 0, 0, 0, 50, 80, 95, 100};
        for (int second = 0; second < perSecond.length; second++) {
            for (int i = 0; i < perSecond[second]; i++) {
                timeline.finalOutcome(START.plusMillis(second * 1000L + i).toEpochMilli());
            }
        }
        Instant fault = START.plusMillis(10_500);

        // When the recovery to 90 % of the 10 s before the fault is asked
        // Then it is the end of second 18 (the first at 90 a second or more), 8.5 s after the fault
        assertThat(timeline.recoveryAfter(fault, Duration.ofSeconds(10), 0.9)).contains(Duration.ofMillis(8_500));
        assertThat(timeline.recoveryAfter(fault, Duration.ofSeconds(10), 0.5)).contains(Duration.ofMillis(6_500));
        // And a platform that never gets back does not recover
        assertThat(timeline.recoveryAfter(fault, Duration.ofSeconds(10), 1.01)).isEmpty();
        // And the seconds add up to what was counted
        assertThat(timeline.totalFinals()).isEqualTo(LongStream.of(perSecond).sum());
        assertThat(timeline.secondOf(fault)).isEqualTo(10);
        assertThat(timeline.seconds()).hasSize(perSecond.length);
    }
}
