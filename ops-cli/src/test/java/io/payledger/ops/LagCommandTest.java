package io.payledger.ops;

import static io.payledger.ops.TestLedger.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.ops.TestLedger.Result;
import io.payledger.ops.acl.PlatformAcls;
import io.payledger.platform.relay.RelayCheckpoints;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LagCommandTest {

    private final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());

    @Test
    void aGroupThatStoppedConsumingShowsItsLagGrow() {
        // Given a group that consumed and committed all ten records of a topic
        String topic = "ops-lag-" + UUID.randomUUID();
        String group = "ops-lag-group-" + UUID.randomUUID();
        kafka.createTopics(2, topic);
        send(topic, 10);
        TestConsumers.consumeAndCommit(topic, group, 10);
        TestLedger books = new TestLedger();
        books.environment.put("KAFKA_BOOTSTRAP_SERVERS", SharedInfrastructure.kafkaBootstrapServers());
        Result caughtUp = books.ops("lag", "--group", group, "--no-relays");

        // When seven more records are written and the group's consumer is gone
        send(topic, 7);
        Result behind = books.ops("lag", "--group", group, "--no-relays");

        // Then the lag goes from 0 to 7, per partition and in total, with the group's committed and end offsets
        assertThat(caughtUp.exit()).as(caughtUp.output()).isZero();
        assertThat(total(caughtUp, group)).isZero();
        assertThat(behind.exit()).as(behind.output()).isZero();
        assertThat(total(behind, group)).isEqualTo(7);
        assertThat(behind.output()).contains(topic).contains("Empty, 0 members");
        long partitionLags = behind.output().lines().filter(line -> line.startsWith(group) && line.contains(topic))
                .mapToLong(line -> Long.parseLong(line.trim().split("\\s+")[5])).sum();
        assertThat(partitionLags).isEqualTo(7);
    }

    @Test
    void theLedgerRelaysBacklogIsWhatIsWrittenPastItsCheckpoint() {
        // Given a ledger with two accounts opened (one database transaction each) and three payments (one),
        // and the relay's checkpoint at the first payment
        TestLedger books = new TestLedger("alice");
        books.post(payment("bank", "alice", 100), payment("bank", "alice", 200), payment("bank", "alice", 300));
        String firstPayment = books.ledger.withHandle(handle -> handle.createQuery("""
                SELECT journal_xid::text || ':' || journal_ordinal FROM transactions
                 ORDER BY journal_xid, journal_ordinal LIMIT 1""").mapTo(String.class).one());
        String checkpointTopic = RelayCheckpoints.topicOf(PlatformAcls.LEDGER_EVENTS_RELAY);
        kafka.createTopics(1, checkpointTopic);
        kafka.send(checkpointTopic, PlatformAcls.LEDGER_EVENTS_RELAY, firstPayment.getBytes(StandardCharsets.UTF_8));
        books.environment.put("KAFKA_BOOTSTRAP_SERVERS", SharedInfrastructure.kafkaBootstrapServers());

        // When the operator asks for the lag, for no group
        Result lag = books.ops("lag", "--group", "ops-lag-nobody-" + UUID.randomUUID());

        // Then the ledger relay's backlog is the two later payments; payment-service's outbox, absent from this
        // database, is reported unavailable rather than failing the command
        assertThat(lag.exit()).as(lag.output()).isZero();
        assertThat(lag.output()).containsPattern("ledger-service\\.events\\s+" + firstPayment + "\\s+2\\n")
                .containsPattern("payment-service\\.outbox\\s+unavailable: ")
                .contains("(no committed offsets)");
    }

    private static long total(Result lag, String group) {
        return lag.output().lines().filter(line -> line.startsWith(group) && line.contains("(total)"))
                .mapToLong(line -> Long.parseLong(line.trim().split("\\s+")[2])).sum();
    }

    private void send(String topic, int records) {
        for (int i = 0; i < records; i++) {
            kafka.send(topic, "key-" + i, ("value-" + i).getBytes(StandardCharsets.UTF_8));
        }
    }
}
