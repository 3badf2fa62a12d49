package io.payledger.platform.messaging.progress;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the consumer progress monitor watches, bound from {@code payledger.consumer-progress.*}.
 *
 * @param checkInterval  how often committed and end offsets are read ({@code CONSUMER_PROGRESS_INTERVAL})
 * @param stallThreshold how long a partition with records waiting may go without its committed offset
 *                       moving before it counts as stalled ({@code CONSUMER_STALL_THRESHOLD})
 */
@ConfigurationProperties("payledger.consumer-progress")
public record ConsumerProgressSettings(Duration checkInterval, Duration stallThreshold) {

    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STALL_THRESHOLD = Duration.ofMinutes(2);

    public ConsumerProgressSettings {
        checkInterval = checkInterval == null ? DEFAULT_CHECK_INTERVAL : checkInterval;
        stallThreshold = stallThreshold == null ? DEFAULT_STALL_THRESHOLD : stallThreshold;
        if (checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("payledger.consumer-progress.check-interval (CONSUMER_PROGRESS_INTERVAL) "
                    + "must be positive, got " + checkInterval);
        }
        if (stallThreshold.isNegative() || stallThreshold.isZero()) {
            throw new IllegalArgumentException("payledger.consumer-progress.stall-threshold (CONSUMER_STALL_THRESHOLD) "
                    + "must be positive, got " + stallThreshold);
        }
    }

    /** Longest wait for one admin call or one look at partitions' tails: about one interval, 5 to 30 s. */
    Duration callTimeout() {
        Duration floor = Duration.ofSeconds(5);
        Duration ceiling = Duration.ofSeconds(30);
        return checkInterval.compareTo(floor) < 0 ? floor : checkInterval.compareTo(ceiling) > 0 ? ceiling : checkInterval;
    }
}
