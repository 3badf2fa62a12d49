package io.payledger.fraud.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FraudSettingsTest {

    @Test
    void theStreamCommitsEvery100MillisecondsUnlessConfigured() {
        // Given settings that name no commit interval, and settings that name one
        FraudSettings unset = new FraudSettings(null, 0, 0, null, null, null, null);
        FraudSettings set = new FraudSettings(null, 0, 0, null, null, null, Duration.ofMillis(20));

        // Then the first commits at Kafka Streams' exactly-once default, the second as configured
        assertThat(unset.commitInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(set.commitInterval()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void aCommitIntervalOfZeroIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> new FraudSettings(null, 0, 0, null, null, null, Duration.ZERO))
                .hasMessageContaining("FRAUD_COMMIT_INTERVAL");
    }
}
