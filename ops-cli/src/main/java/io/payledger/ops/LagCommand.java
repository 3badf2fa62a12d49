package io.payledger.ops;

import io.payledger.ops.acl.PlatformAcls;
import io.payledger.platform.outbox.OutboxRelaySource;
import io.payledger.platform.relay.RelayCheckpoints;
import io.payledger.platform.relay.RelayPosition;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code lag}: how far behind each consumer group is, per topic and partition (its committed offset
 * against the partition's end as a {@code read_committed} consumer sees it, the last stable offset), and
 * each relay's backlog: rows written to the database and not yet published, counted as the relay's own
 * {@code payledger_relay_backlog} counts them (rows after its checkpoint in Kafka). Reads only; exits 0.
 */
final class LagCommand {

    /** The platform's consumer groups, shown unless {@code --group} names others. */
    static final List<String> PLATFORM_GROUPS = List.of(PlatformAcls.PAYMENT_COMMANDS_GROUP,
            PlatformAcls.PAYMENT_OUTCOMES_GROUP, PlatformAcls.PAYMENT_ACCOUNTS_GROUP, PlatformAcls.FRAUD_APPLICATION_ID,
            PlatformAcls.LEDGER_GROUP, PlatformAcls.NOTIFICATION_GROUP, PlatformAcls.NOTIFICATION_ACCOUNTS_GROUP);

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The ledger relay's backlog, as JournalReader#countAfter counts it: transactions and opened accounts. */
    private static final String LEDGER_BACKLOG = """
            SELECT (SELECT count(*) FROM transactions WHERE %1$s) + (SELECT count(*) FROM accounts WHERE %1$s)"""
            .formatted("(journal_xid, journal_ordinal) > (CAST(CAST(:xid AS text) AS xid8), :ordinal)");

    private final OpsEnvironment environment;
    private final PrintStream out;

    LagCommand(OpsEnvironment environment, PrintStream out) {
        this.environment = environment;
        this.out = out;
    }

    int run(List<String> arguments) throws Exception {
        Options options = Options.parse(arguments, Set.of("group"), Set.of("all-groups", "no-relays"));
        try (Admin admin = Admin.create(environment.kafka().adminConfig("payledger-ops.lag"))) {
            Set<String> groups = new LinkedHashSet<>(options.values("group"));
            if (groups.isEmpty()) {
                groups.addAll(PLATFORM_GROUPS);
            }
            if (options.flag("all-groups")) {
                admin.listGroups().all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).stream()
                        .map(listing -> listing.groupId()).sorted().forEach(groups::add);
            }
            printGroups(admin, groups);
        }
        if (!options.flag("no-relays")) {
            printRelays();
        }
        return 0;
    }

    private void printGroups(Admin admin, Set<String> groups) throws Exception {
        out.printf("%-32s %-40s %5s %12s %12s %10s%n", "GROUP", "TOPIC", "PART", "COMMITTED", "END", "LAG");
        for (String group : groups) {
            Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, group);
            String state = state(admin, group);
            if (committed.isEmpty()) {
                out.printf("%-32s %s%n", group, "(no committed offsets) " + state);
                continue;
            }
            // The end a read_committed consumer can reach: the last stable offset, not past open transactions.
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(committed.keySet().stream()
                            .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())),
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<TopicPartition> partitions = new ArrayList<>(committed.keySet());
            partitions.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
            long total = 0;
            for (TopicPartition partition : partitions) {
                long offset = committed.get(partition).offset();
                ListOffsetsResultInfo end = ends.get(partition);
                long lag = end == null ? 0 : Math.max(0, end.offset() - offset);
                total += lag;
                out.printf("%-32s %-40s %5d %12d %12s %10d%n", group, partition.topic(), partition.partition(), offset,
                        end == null ? "?" : Long.toString(end.offset()), lag);
            }
            out.printf("%-32s %-40s %5s %12s %12s %10d  %s%n", group, "(total)", "", "", "", total, state);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group) throws Exception {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            // A partition without a committed offset comes back as null: nothing to compare.
            return offsets.entrySet().stream().filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Map.of();
            }
            throw e;
        }
    }

    private static String state(Admin admin, String group) {
        try {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(group);
            return "[" + description.groupState() + ", " + description.members().size() + " members]";
        } catch (Exception e) {
            return "[state unknown: " + e.getMessage() + "]";
        }
    }

    private void printRelays() {
        out.printf("%n%-32s %-24s %12s%n", "RELAY", "CHECKPOINT", "BACKLOG");
        printRelay(PlatformAcls.LEDGER_EVENTS_RELAY, environment::ledger, (jdbi, position) -> jdbi.withHandle(handle ->
                handle.createQuery(LEDGER_BACKLOG).bind("xid", position.transactionId())
                        .bind("ordinal", position.ordinal()).mapTo(Long.class).one()));
        printRelay(PlatformAcls.PAYMENT_OUTBOX_RELAY, environment::payment, (jdbi, position) ->
                new OutboxRelaySource(jdbi).backlogAfter(position).orElseThrow());
    }

    private interface Backlog {
        long after(Jdbi jdbi, RelayPosition position);
    }

    /** One relay's line; a relay whose database or checkpoint cannot be read says why instead. */
    private void printRelay(String relay, java.util.function.Supplier<Jdbi> database, Backlog backlog) {
        try {
            RelayPosition position = checkpoint(relay);
            long rows = backlog.after(database.get(), position);
            out.printf("%-32s %-24s %12d%n", relay, position.equals(RelayPosition.START) ? "(none yet)"
                    : position.encode(), rows);
        } catch (RuntimeException e) {
            out.printf("%-32s unavailable: %s%n", relay, rootMessage(e));
        }
    }

    /** The relay's last committed position, from its checkpoint topic; the start if it has none yet. */
    private RelayPosition checkpoint(String relay) {
        String topic = RelayCheckpoints.topicOf(relay);
        try (Admin admin = Admin.create(environment.kafka().adminConfig("payledger-ops.lag"))) {
            if (!admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).contains(topic)) {
                return RelayPosition.START;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not list topics: " + e.getMessage(), e);
        }
        return new RelayCheckpoints(environment.kafka(), relay).read(TIMEOUT);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
