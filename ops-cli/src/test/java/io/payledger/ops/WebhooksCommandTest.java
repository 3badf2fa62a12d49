package io.payledger.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.testsupport.SharedInfrastructure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhooksCommandTest {

    private Map<String, String> environment;
    private Jdbi notification;
    private final UUID subscription = UUID.randomUUID();
    private final UUID deletedSubscription = UUID.randomUUID();
    private final UUID dead = UUID.randomUUID();
    private final UUID delivered = UUID.randomUUID();
    private final UUID deadOfDeleted = UUID.randomUUID();

    @BeforeEach
    void aDeliveryLogWithDeadDeliveries() {
        // Given notification-service's schema, migrated by its own migrations, with a live subscription that has
        // one dead and one delivered delivery, and a deleted subscription with a dead one
        String database = "notification_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = SharedInfrastructure.postgres().createDatabase(database);
        String user = SharedInfrastructure.postgres().username();
        String password = SharedInfrastructure.postgres().password();
        Flyway.configure().dataSource(url, user, password).schemas("notification").defaultSchema("notification")
                .locations("classpath:db/migration/notification").load().migrate();
        environment = Map.of("DATABASE_URL", url, "DATABASE_USER", user, "DATABASE_PASSWORD", password);
        notification = OpsEnvironment.of(environment).notification();
        subscription(subscription, "https://hooks.acme.example/payledger", null);
        subscription(deletedSubscription, "https://old.acme.example/hook", Instant.now());
        delivery(dead, subscription, "DEAD", 8, "HTTP 503 from https://hooks.acme.example/payledger");
        delivery(delivered, subscription, "DELIVERED", 1, null);
        delivery(deadOfDeleted, deletedSubscription, "DEAD", 8, "connect timed out");
    }

    @Test
    void listsTheDeadDeliveriesOfLiveSubscriptionsWithTheirLastError() {
        // When the operator lists dead deliveries
        Result result = ops("webhooks", "dead");

        // Then the live subscription's dead one is shown, with its URL, attempts and error; nothing else
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("1 dead webhook deliveries").contains(dead.toString())
                .contains("https://hooks.acme.example/payledger").contains("8 attempts").contains("HTTP 503")
                .doesNotContain(delivered.toString()).doesNotContain(deadOfDeleted.toString());
    }

    @Test
    void aRedriveIsADryRunUntilExecutedAndThenMakesTheDeliveryPendingAgain() {
        // When the operator redrives the subscription without --execute
        Result dryRun = ops("webhooks", "redrive", "--subscription", subscription.toString());

        // Then it shows what it would redrive and changes nothing
        assertThat(dryRun.exit()).as(dryRun.output()).isZero();
        assertThat(dryRun.output()).contains(dead.toString()).contains("dry run: 1 deliveries would be redriven");
        assertThat(status(dead)).isEqualTo("DEAD 8");

        // When they run it with --execute
        Result executed = ops("webhooks", "redrive", "--subscription", subscription.toString(), "--execute");

        // Then the dead delivery is pending again, attempts reset and due now; the delivered one is untouched
        assertThat(executed.exit()).as(executed.output()).isZero();
        assertThat(executed.output()).contains("redrove 1 deliveries");
        assertThat(status(dead)).isEqualTo("PENDING 0");
        boolean dueNow = notification.withHandle(h -> h.createQuery(
                "SELECT next_attempt_at <= now() AND dead_at IS NULL FROM webhook_deliveries WHERE delivery_id = :id")
                .bind("id", dead).mapTo(Boolean.class).one());
        assertThat(dueNow).isTrue();
        assertThat(status(delivered)).isEqualTo("DELIVERED 1");
    }

    @Test
    void aDeletedSubscriptionsDeliveriesAreNeverRedriven() {
        // When the operator redrives a delivery of a deleted subscription
        Result result = ops("webhooks", "redrive", "--delivery", deadOfDeleted.toString(), "--execute");

        // Then nothing happens, and the tool says so
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("nothing to redrive");
        assertThat(status(deadOfDeleted)).isEqualTo("DEAD 8");
    }

    @Test
    void aRedriveNamesExactlyOneTarget() {
        // When the operator names neither a subscription nor a delivery, or both, or no ID
        // Then it is a usage error and nothing changes
        assertThat(ops("webhooks", "redrive", "--execute").exit()).isEqualTo(2);
        assertThat(ops("webhooks", "redrive", "--subscription", subscription.toString(), "--delivery",
                dead.toString(), "--execute").exit()).isEqualTo(2);
        assertThat(ops("webhooks", "redrive", "--delivery", "not-an-id", "--execute").exit()).isEqualTo(2);
        assertThat(ops("webhooks", "dead", "--limit", "0").exit()).isEqualTo(2);
        assertThat(status(dead)).isEqualTo("DEAD 8");
    }

    private record Result(int exit, String output) {
    }

    private Result ops(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = OpsCli.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8));
    }

    private String status(UUID delivery) {
        return notification.withHandle(h -> h.createQuery(
                        "SELECT status || ' ' || attempts FROM webhook_deliveries WHERE delivery_id = :id")
                .bind("id", delivery).mapTo(String.class).one());
    }

    private void subscription(UUID id, String url, Instant deletedAt) {
        notification.useHandle(h -> h.createUpdate("""
                        INSERT INTO webhook_subscriptions (subscription_id, owner, url, event_types, account_ids, secret,
                                                           created_at, deleted_at)
                        VALUES (:id, 'acme', :url, ARRAY['payment.posted'], ARRAY['acme-usd'], 'whsec_test', now(),
                                :deletedAt)""")
                .bind("id", id).bind("url", url)
                .bind("deletedAt", deletedAt == null ? null : Timestamp.from(deletedAt))
                .execute());
    }

    private void delivery(UUID id, UUID subscriptionId, String status, int attempts, String lastError) {
        notification.useHandle(h -> h.createUpdate("""
                        INSERT INTO webhook_deliveries (delivery_id, subscription_id, account_id, notification_id,
                                                        event_type, payload, status, attempts, next_attempt_at,
                                                        last_error, created_at, dead_at)
                        VALUES (:id, :subscription, 'acme-usd', :notification, 'payment.posted', '{}', :status,
                                :attempts, now() + interval '1 day', :lastError, now(),
                                CASE WHEN :status = 'DEAD' THEN now() END)""")
                .bind("id", id).bind("subscription", subscriptionId).bind("notification", UUID.randomUUID())
                .bind("status", status).bind("attempts", attempts).bind("lastError", lastError)
                .execute());
    }
}
