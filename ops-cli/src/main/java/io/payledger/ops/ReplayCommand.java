package io.payledger.ops;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code replay}: moves a consumer group's position on a topic back (or forward) so its service
 * consumes again. A dry run by default: it prints where each partition is and where it would go;
 * {@code --execute} moves it, and only while the group has no running members. Every service is
 * idempotent, so a replay re-consumes without moving money twice.
 */
final class ReplayCommand {

    private final OpsEnvironment environment;
    private final PrintStream out;

    ReplayCommand(OpsEnvironment environment, PrintStream out) {
        this.environment = environment;
        this.out = out;
    }

    int run(List<String> arguments) throws Exception {
        Options options = Options.parse(arguments, Set.of("group", "topic", "to-offset", "to-datetime", "by-duration"),
                Set.of("to-earliest", "to-latest", "execute"));
        String group = options.required("group");
        String topic = options.required("topic");
        OffsetSpec target = target(options);
        try (Admin admin = Admin.create(environment.kafka().adminConfig("payledger-ops.replay"))) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic).partitions().stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, Long> targets = resolve(admin, partitions, target, options);

            out.printf("group %s on %s:%n", group, topic);
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata current = committed.get(partition);
                out.printf("  partition %2d: %s -> %d%n", partition.partition(),
                        current == null ? "(none)" : Long.toString(current.offset()), targets.get(partition));
            }
            if (!options.flag("execute")) {
                out.println("dry run: nothing changed; add --execute to move the group");
                return 0;
            }
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                    .get(30, TimeUnit.SECONDS).get(group);
            if (!description.members().isEmpty()) {
                out.printf("refused: group %s has %d running members (%s); stop them first%n", group,
                        description.members().size(), description.groupState());
                return 1;
            }
            admin.alterConsumerGroupOffsets(group, targets.entrySet().stream().collect(Collectors.toMap(
                    Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())))).all().get(30, TimeUnit.SECONDS);
            out.printf("moved group %s on %s; its consumers resume there when they start%n", group, topic);
            return 0;
        }
    }

    private static OffsetSpec target(Options options) {
        int chosen = 0;
        OffsetSpec spec = null;
        if (options.flag("to-earliest")) {
            chosen++;
            spec = OffsetSpec.earliest();
        }
        if (options.flag("to-latest")) {
            chosen++;
            spec = OffsetSpec.latest();
        }
        if (options.value("to-datetime").isPresent()) {
            chosen++;
            spec = OffsetSpec.forTimestamp(Instant.parse(options.required("to-datetime")).toEpochMilli());
        }
        if (options.value("by-duration").isPresent()) {
            chosen++;
            spec = OffsetSpec.forTimestamp(Instant.now().minus(Duration.parse(options.required("by-duration")))
                    .toEpochMilli());
        }
        if (options.value("to-offset").isPresent()) {
            chosen++;
            spec = null;
        }
        if (chosen != 1) {
            throw new IllegalArgumentException("give exactly one of --to-earliest, --to-latest, --to-offset N, "
                    + "--to-datetime 2026-11-24T10:00:00Z, --by-duration PT1H");
        }
        return spec;
    }

    private static Map<TopicPartition, Long> resolve(Admin admin, List<TopicPartition> partitions, OffsetSpec target,
                                                     Options options) throws Exception {
        Map<TopicPartition, Long> targets = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
        Map<TopicPartition, ListOffsetsResultInfo> latest = admin.listOffsets(partitions.stream()
                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get(30, TimeUnit.SECONDS);
        if (target == null) {
            long offset = Long.parseLong(options.required("to-offset"));
            partitions.forEach(p -> targets.put(p, Math.min(offset, latest.get(p).offset())));
            return targets;
        }
        Map<TopicPartition, ListOffsetsResultInfo> found = admin.listOffsets(partitions.stream()
                .collect(Collectors.toMap(p -> p, p -> target))).all().get(30, TimeUnit.SECONDS);
        // A timestamp after the newest record resolves to -1: the end of the partition.
        partitions.forEach(p -> targets.put(p, found.get(p).offset() < 0 ? latest.get(p).offset() : found.get(p).offset()));
        return targets;
    }
}
