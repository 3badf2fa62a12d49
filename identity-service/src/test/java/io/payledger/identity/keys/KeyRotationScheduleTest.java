package io.payledger.identity.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeyRotationScheduleTest {

    @Test
    void keysRotateOnTheScheduleUntilItStops() throws InterruptedException {
        // Given keys on a short rotation schedule
        SigningKeys keys = new SigningKeys(Duration.ofMinutes(5), Clock.systemUTC());
        String first = keys.signingKey().getKeyID();
        KeyRotationSchedule schedule = new KeyRotationSchedule(keys, Duration.ofMillis(200));

        // When the schedule runs
        schedule.start();

        // Then another key signs soon
        await().atMost(Duration.ofSeconds(20)).until(() -> !keys.signingKey().getKeyID().equals(first));

        // and once it stops, the key stays
        schedule.stop();
        assertThat(schedule.isRunning()).isFalse();
        String last = keys.signingKey().getKeyID();
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                .until(() -> keys.signingKey().getKeyID().equals(last));
    }
}
