package io.payledger.platform.messaging.progress;

import io.payledger.platform.messaging.progress.ConsumerProgress.PartitionProgress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * DOWN while any consumed partition is stalled, naming each one; UP while every partition progresses.
 * UNKNOWN before the first check and while the offsets cannot be read: a broker that cannot be reached
 * says nothing about this instance, and taking it out of traffic would not bring the broker back
 * (payment-service, for one, still takes payments into its outbox). A stall seen before the offsets
 * became unreadable stays DOWN: no recovery is reported that was not seen.
 */
public final class ConsumerProgressHealthIndicator implements HealthIndicator {

    private final ConsumerProgress progress;

    public ConsumerProgressHealthIndicator(ConsumerProgress progress) {
        this.progress = progress;
    }

    @Override
    public Health health() {
        List<PartitionProgress> stalled = progress.stalled();
        Health.Builder health;
        if (!stalled.isEmpty()) {
            health = Health.down().withDetail("stalled", stalled.stream().map(this::stall).toList());
        } else if (progress.failure().isPresent() || progress.lastCheckAt().isEmpty()) {
            health = Health.unknown();
        } else {
            health = Health.up().withDetail("partitions", progress.partitions().size());
        }
        health.withDetail("stallThreshold", progress.stallThreshold().toString());
        progress.lastCheckAt().ifPresent(at -> health.withDetail("lastCheck", at.toString()));
        progress.failure().ifPresent(failure -> health.withDetail("checkFailing", failure)
                .withDetail("checkFailingSince", progress.failingSince().map(Object::toString).orElse("")));
        return health.build();
    }

    private Map<String, Object> stall(PartitionProgress partition) {
        Map<String, Object> stall = new LinkedHashMap<>();
        stall.put("group", partition.partition().group());
        stall.put("topic", partition.partition().topic());
        stall.put("partition", partition.partition().partition());
        stall.put("committedOffset", partition.committedOffset() == ConsumerProgress.NO_COMMITTED_OFFSET ? null
                : partition.committedOffset());
        stall.put("endOffset", partition.endOffset());
        stall.put("lag", partition.lag());
        stall.put("noProgressFor", progress.noProgressFor(partition).toString());
        stall.put("reason", progress.describe(partition));
        return stall;
    }
}
