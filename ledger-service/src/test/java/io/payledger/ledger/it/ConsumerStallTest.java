package io.payledger.ledger.it;

import static io.payledger.ledger.it.LedgerTestSupport.approved;
import static io.payledger.ledger.it.LedgerTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.ledger.LedgerServiceApplication;
import io.payledger.platform.messaging.progress.ConsumerProgressMonitor;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A consumer held on a record it cannot apply says so. The record has been fetched, so the client's
 * own lag reads 0; readiness and the committed lag tell the truth. Runs a ledger of its own on the
 * shared broker and database, with a stall threshold of seconds.
 */
class ConsumerStallTest {

    private static final String GROUP = "ledger-service";

    private ConfigurableApplicationContext ledger;
    private Connection hold;

    @AfterEach
    void stop() throws Exception {
        if (hold != null) {
            hold.close();
        }
        if (ledger != null) {
            ledger.close();
        }
    }

    @Test
    void aConsumerHeldOnARecordIsNotReadyAndShowsItsLagUntilTheRecordIsApplied() throws Exception {
        // Given the ledger running with a stall threshold of two seconds, caught up and ready
        List<String> arguments = new ArrayList<>(List.of("--server.port=0",
                "--payledger.consumer-progress.stall-threshold=2s",
                "--payledger.consumer-progress.check-interval=250ms"));
        SharedInfrastructure.serviceProperties().forEach((name, value) -> arguments.add("--" + name + "=" + value));
        ledger = LedgerServiceApplication.application().run(arguments.toArray(String[]::new));
        LedgerTestSupport support = new LedgerTestSupport(port());
        HttpApi management = new HttpApi("http://localhost:" + managementPort());
        String bank = unique("bank");
        String alice = unique("alice");
        support.openAccount(bank, "USD", "SYSTEM");
        support.openAccount(alice, "USD", "CUSTOMER");
        MeterRegistry meters = ledger.getBean(MeterRegistry.class);
        await().atMost(LedgerTestSupport.TIMEOUT).until(() -> readiness(management).status() == 200
                && !committedLags(meters).isEmpty()
                && committedLags(meters).stream().allMatch(gauge -> gauge.value() == 0));

        // When a connection holds the accounts table, so no batch can apply, and an approved payment arrives
        hold = DriverManager.getConnection(SharedInfrastructure.postgres().jdbcUrl(),
                SharedInfrastructure.postgres().username(), SharedInfrastructure.postgres().password());
        hold.setAutoCommit(false);
        try (Statement statement = hold.createStatement()) {
            statement.execute("LOCK TABLE ledger.accounts IN ACCESS EXCLUSIVE MODE");
        }
        String payment = UUID.randomUUID().toString();
        support.send(approved(payment, bank, alice, 2_500, "USD"));
        int partition = partitionOf(support, payment);

        // Then readiness answers 503, naming the stalled topic and partition
        await().atMost(LedgerTestSupport.TIMEOUT).until(() -> readiness(management).status() == 503);
        JsonNode consumerProgress = readiness(management).json().get("components").get("consumerProgress");
        assertThat(consumerProgress.get("status").asString()).isEqualTo("DOWN");
        assertThat(consumerProgress.get("details").get("stalled")).anySatisfy(stall -> {
            assertThat(stall.get("group").asString()).isEqualTo(GROUP);
            assertThat(stall.get("topic").asString()).isEqualTo(Topics.FRAUD_DECISIONS.name());
            assertThat(stall.get("partition").asInt()).isEqualTo(partition);
            assertThat(stall.get("lag").asLong()).isEqualTo(1);
            assertThat(stall.get("reason").asString()).contains("1 record(s) waiting");
        });
        // And the committed-lag gauge, as Prometheus scrapes it, shows the record waiting
        assertThat(prometheusLines(management)).anySatisfy(line -> assertThat(line)
                .startsWith("payledger_consumer_committed_lag{")
                .contains("group=\"" + GROUP + "\"", "topic=\"" + Topics.FRAUD_DECISIONS.name() + "\"",
                        "partition=\"" + partition + "\"")
                .endsWith(" 1.0"));
        assertThat(prometheusLines(management)).anySatisfy(line -> assertThat(line)
                .startsWith("payledger_consumer_stalled{").contains("partition=\"" + partition + "\"")
                .contains("topic=\"" + Topics.FRAUD_DECISIONS.name() + "\"").endsWith(" 1.0"));

        // When the hold is released
        hold.rollback();
        hold.close();
        hold = null;

        // Then the payment is applied, and readiness returns to UP
        assertThat(support.outcomesFor(payment)).hasSize(1);
        assertThat(support.balance(alice)).isEqualTo(2_500);
        await().atMost(LedgerTestSupport.TIMEOUT).until(() -> readiness(management).status() == 200);
        assertThat(readiness(management).json().get("components").get("consumerProgress").get("status").asString())
                .isEqualTo("UP");
    }

    private int port() {
        return Integer.parseInt(ledger.getEnvironment().getProperty("local.server.port"));
    }

    /** Health and metrics are on the management port, without a token. */
    private int managementPort() {
        return Integer.parseInt(ledger.getEnvironment().getProperty("local.management.port"));
    }

    private static HttpApi.Response readiness(HttpApi management) {
        return management.get("/actuator/health/readiness");
    }

    private static List<Gauge> committedLags(MeterRegistry meters) {
        return List.copyOf(meters.find(ConsumerProgressMonitor.COMMITTED_LAG).tag("group", GROUP).gauges());
    }

    private static List<String> prometheusLines(HttpApi management) {
        return management.get("/actuator/prometheus").body().lines().collect(Collectors.toList());
    }

    /** The partition the payment's decision was written to, as read back from the topic. */
    private static int partitionOf(LedgerTestSupport support, String payment) {
        List<ConsumerRecord<byte[], byte[]>> records = support.kafka.readUntil(Topics.FRAUD_DECISIONS.name(),
                read -> read.stream().anyMatch(record -> isPayment(record, payment)), LedgerTestSupport.TIMEOUT);
        return records.stream().filter(record -> isPayment(record, payment)).findFirst().orElseThrow().partition();
    }

    private static boolean isPayment(ConsumerRecord<byte[], byte[]> record, String payment) {
        return KafkaTestClient.header(record, "payment-id").filter(payment::equals).isPresent();
    }
}
