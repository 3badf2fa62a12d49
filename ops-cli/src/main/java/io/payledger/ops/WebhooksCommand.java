package io.payledger.ops;

import java.io.PrintStream;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code webhooks}: the webhook deliveries notification-service gave up on (status DEAD in its delivery log,
 * schema {@code notification}), and their redrive: back to PENDING, attempts reset, due now, so the running
 * service delivers them again in its own time. A dry run by default; {@code --execute} redrives. A delivery
 * of a deleted subscription is never redriven. The same as the service's
 * {@code POST /v1/webhooks/{id}/redrive}, for an operator at the database rather than at the API.
 */
final class WebhooksCommand {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_ERROR_LENGTH = 120;

    private final OpsEnvironment environment;
    private final PrintStream out;

    WebhooksCommand(OpsEnvironment environment, PrintStream out) {
        this.environment = environment;
        this.out = out;
    }

    int run(List<String> arguments) {
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("webhooks needs a subcommand: dead or redrive");
        }
        List<String> rest = arguments.subList(1, arguments.size());
        switch (arguments.get(0)) {
            case "dead":
                return dead(Options.parse(rest, Set.of("subscription", "limit"), Set.of()));
            case "redrive":
                return redrive(Options.parse(rest, Set.of("subscription", "delivery"), Set.of("execute")));
            default:
                throw new IllegalArgumentException("unknown webhooks subcommand " + arguments.get(0));
        }
    }

    /** One dead delivery, as listed. */
    private record DeadDelivery(UUID deliveryId, UUID subscriptionId, String url, String accountId, String eventType,
                                int attempts, Timestamp deadAt, String lastError) {
    }

    private int dead(Options options) {
        Optional<UUID> subscription = options.value("subscription").map(WebhooksCommand::uuid);
        int limit = options.value("limit").map(WebhooksCommand::limit).orElse(DEFAULT_LIMIT);
        Jdbi notification = environment.notification();
        List<DeadDelivery> dead = notification.withHandle(handle -> deadDeliveries(handle, subscription, null, limit));
        long total = notification.withHandle(handle -> handle.createQuery("""
                        SELECT count(*) FROM webhook_deliveries d JOIN webhook_subscriptions s USING (subscription_id)
                         WHERE d.status = 'DEAD' AND s.deleted_at IS NULL
                           AND (CAST(:subscription AS uuid) IS NULL OR d.subscription_id = :subscription)""")
                .bind("subscription", subscription.orElse(null))
                .mapTo(Long.class)
                .one());
        if (dead.isEmpty()) {
            out.println("no dead webhook deliveries" + subscription.map(s -> " for subscription " + s).orElse(""));
            return 0;
        }
        out.printf("%d dead webhook deliveries%s (oldest first, showing %d):%n", total,
                subscription.map(s -> " for subscription " + s).orElse(""), dead.size());
        dead.forEach(this::print);
        return 0;
    }

    private int redrive(Options options) {
        Optional<UUID> subscription = options.value("subscription").map(WebhooksCommand::uuid);
        Optional<UUID> delivery = options.value("delivery").map(WebhooksCommand::uuid);
        if (subscription.isEmpty() == delivery.isEmpty()) {
            throw new IllegalArgumentException("redrive needs exactly one of --subscription ID and --delivery ID");
        }
        boolean execute = options.flag("execute");
        return environment.notification().inTransaction(handle -> {
            List<DeadDelivery> dead = deadDeliveries(handle, subscription, delivery.orElse(null), Integer.MAX_VALUE);
            if (dead.isEmpty()) {
                out.println("nothing to redrive: no dead delivery "
                        + delivery.map(d -> d.toString()).orElseGet(() -> "for subscription " + subscription.get())
                        + " of a live subscription");
                return 0;
            }
            dead.forEach(this::print);
            if (!execute) {
                out.printf("dry run: %d deliveries would be redriven; add --execute to redrive them%n", dead.size());
                return 0;
            }
            int redriven = handle.createUpdate("""
                            UPDATE webhook_deliveries
                               SET status = 'PENDING', attempts = 0, next_attempt_at = now(), dead_at = NULL
                             WHERE delivery_id IN (<ids>) AND status = 'DEAD'""")
                    .bindList("ids", dead.stream().map(DeadDelivery::deliveryId).toList())
                    .execute();
            out.printf("redrove %d deliveries: notification-service delivers them again, in order per account%n",
                    redriven);
            return 0;
        });
    }

    /** Dead deliveries of live subscriptions, oldest first: all, a subscription's, or one. */
    private static List<DeadDelivery> deadDeliveries(Handle handle, Optional<UUID> subscription, UUID delivery,
                                                     int limit) {
        return handle.createQuery("""
                        SELECT d.delivery_id, d.subscription_id, s.url, d.account_id, d.event_type, d.attempts,
                               d.dead_at, d.last_error
                          FROM webhook_deliveries d JOIN webhook_subscriptions s USING (subscription_id)
                         WHERE d.status = 'DEAD' AND s.deleted_at IS NULL
                           AND (CAST(:subscription AS uuid) IS NULL OR d.subscription_id = :subscription)
                           AND (CAST(:delivery AS uuid) IS NULL OR d.delivery_id = :delivery)
                         ORDER BY d.position
                         LIMIT :limit""")
                .bind("subscription", subscription.orElse(null))
                .bind("delivery", delivery)
                .bind("limit", limit)
                .map((rs, ctx) -> new DeadDelivery(rs.getObject("delivery_id", UUID.class),
                        rs.getObject("subscription_id", UUID.class), rs.getString("url"), rs.getString("account_id"),
                        rs.getString("event_type"), rs.getInt("attempts"), rs.getTimestamp("dead_at"),
                        rs.getString("last_error")))
                .list();
    }

    private void print(DeadDelivery d) {
        out.printf("  %s  subscription %s  %s  account %s  %s  %d attempts  dead at %s: %s%n", d.deliveryId(),
                d.subscriptionId(), d.url(), d.accountId(), d.eventType(), d.attempts(),
                d.deadAt() == null ? "?" : d.deadAt().toInstant(), shorten(d.lastError()));
    }

    private static String shorten(String error) {
        if (error == null) {
            return "(no error recorded)";
        }
        String oneLine = error.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_ERROR_LENGTH ? oneLine : oneLine.substring(0, MAX_ERROR_LENGTH) + "...";
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an ID: " + value);
        }
    }

    private static int limit(String value) {
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--limit must be a positive number, not " + value);
    }
}
