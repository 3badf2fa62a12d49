package io.payledger.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.PoisonRecordException;
import io.payledger.commands.InitiatePayment;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.DeadLetterHeaders;
import io.payledger.schemas.topic.Topic;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplayAndDeadLetterCommandTest {

    private final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());
    private Map<String, String> environment;
    private String topic;

    @BeforeEach
    void aTopicWithRecords() {
        environment = Map.of("KAFKA_BOOTSTRAP_SERVERS", SharedInfrastructure.kafkaBootstrapServers());
        topic = "ops-test-" + UUID.randomUUID();
        kafka.createTopics(2, topic, topic + ".dlt");
        for (int i = 0; i < 10; i++) {
            kafka.send(topic, "key-" + (i % 2), ("value-" + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void replayIsADryRunUntilExecutedAndThenMovesTheGroupToTheStart() throws Exception {
        // Given a group that has consumed everything
        String group = "ops-test-group-" + UUID.randomUUID();
        TestConsumers.consumeAndCommit(topic, group, 10);
        assertThat(committed(group)).isEqualTo(10);

        // When the operator asks for a replay from the earliest offset without --execute
        Result dryRun = ops("replay", "--group", group, "--topic", topic, "--to-earliest");

        // Then it shows the move and changes nothing
        assertThat(dryRun.exit()).isZero();
        assertThat(dryRun.output()).contains("dry run").contains(" -> 0");
        assertThat(committed(group)).isEqualTo(10);

        // When executed
        Result executed = ops("replay", "--group", group, "--topic", topic, "--to-earliest", "--execute");

        // Then the group will re-consume everything
        assertThat(executed.exit()).as(executed.output()).isZero();
        assertThat(committed(group)).isZero();
    }

    @Test
    void replayRefusesUnclearTargets() {
        Result both = ops("replay", "--group", "g", "--topic", topic, "--to-earliest", "--to-offset", "3");
        Result unknown = ops("replay", "--group", "g", "--topic", topic, "--to-yesterday");

        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.output()).contains("exactly one of");
        assertThat(unknown.exit()).isEqualTo(2);
    }

    @Test
    void deadLettersAreListedInspectedAndRedrivenOnceEach() {
        // Given two dead letters from the topic that do not say which consumer group wrote them
        byte[] first = ("poison-1 " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        byte[] second = ("poison-2 " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        int sourceOffset = 3;
        for (byte[] poison : List.of(first, second)) {
            kafka.send(topic + ".dlt", "key-0", poison, Map.of(DeadLetterHeaders.SOURCE_TOPIC, topic,
                    DeadLetterHeaders.SOURCE_PARTITION, "0", DeadLetterHeaders.SOURCE_OFFSET,
                    Integer.toString(sourceOffset++), DeadLetterHeaders.ERROR_MESSAGE, "does not decode",
                    "trace-id", "t-1"));
        }

        // When listed and inspected
        Result list = ops("dlt", "list", "--topic", topic + ".dlt");
        var located = kafka.readAll(topic + ".dlt").get(0);
        Result inspect = ops("dlt", "inspect", "--topic", topic + ".dlt", "--partition",
                Integer.toString(located.partition()), "--offset", Long.toString(located.offset()));

        // Then the operator sees where they came from and why
        assertThat(list.output()).contains(topic + ".dlt: 2 records from 2 source records").contains("does not decode");
        assertThat(inspect.output()).contains("header dlt.source.topic: " + topic).contains("value: ");

        // When redriven twice, the first time as a dry run
        Result dryRun = ops("dlt", "redrive", "--topic", topic + ".dlt");
        int before = kafka.readAll(topic).size();
        Result redrive = ops("dlt", "redrive", "--topic", topic + ".dlt", "--execute");
        Result again = ops("dlt", "redrive", "--topic", topic + ".dlt", "--execute");

        // Then each dead letter is back on its source topic exactly once, without the dead-letter headers,
        // and (no group being named) for every consumer group
        assertThat(dryRun.output()).contains("would redrive").contains("dry run");
        assertThat(redrive.exit()).as(redrive.output()).isZero();
        assertThat(again.output()).contains("nothing to redrive");
        var source = kafka.readAll(topic);
        assertThat(source).hasSize(before + 2);
        var redriven = source.stream().filter(r -> Arrays.equals(r.value(), first) || Arrays.equals(r.value(), second))
                .toList();
        assertThat(redriven).hasSize(2);
        assertThat(redriven).allSatisfy(record -> {
            assertThat(KafkaTestClient.header(record, DeadLetterHeaders.SOURCE_TOPIC)).isEmpty();
            assertThat(KafkaTestClient.header(record, DeadLetterHeaders.REDRIVE_TARGET_GROUP)).isEmpty();
            assertThat(KafkaTestClient.header(record, "trace-id")).contains("t-1");
        });
    }

    @Test
    void copiesOfOneSourceRecordAreListedTogetherAndEachRedrivenOnceToItsOwnGroup() {
        // Given a record none of its three consumer groups can decode, each of which dead-letters it, one of
        // them twice (it crashed after dead-lettering and before committing, and read the record again)
        byte[] poison = ("poison " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        kafka.send(topic, "key-0", poison, Map.of("trace-id", "t-2"));
        ConsumerRecord<byte[], byte[]> original = kafka.readAll(topic).stream()
                .filter(r -> Arrays.equals(r.value(), poison)).findFirst().orElseThrow();
        String source = topic + "-" + original.partition() + "@" + original.offset();
        List<String> groups = List.of("ledger-service", "payment-service.outcomes", "notification-service");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (String group : List.of(groups.get(0), groups.get(1), groups.get(2), groups.get(0))) {
                new DeadLetterPublisher(producer, group, new SimpleMeterRegistry())
                        .publish(original, new PoisonRecordException("does not decode"));
            }
        }
        ConsumerRecord<byte[], byte[]> copy = kafka.readAll(topic + ".dlt").get(0);

        // When listed and one copy inspected
        Result list = ops("dlt", "list", "--topic", topic + ".dlt");
        Result inspect = ops("dlt", "inspect", "--topic", topic + ".dlt", "--partition",
                Integer.toString(copy.partition()), "--offset", Long.toString(copy.offset()));

        // Then the copies are shown together, naming each group
        assertThat(list.output()).contains(topic + ".dlt: 4 records from 1 source record")
                .contains("from " + source + ", dead-lettered by ledger-service, payment-service.outcomes, "
                        + "notification-service, ledger-service");
        assertThat(inspect.output()).contains("copies of " + source + ": 4, dead-lettered by ledger-service (")
                .contains("payment-service.outcomes (").contains("notification-service (");

        // When redriven, twice
        Result redrive = ops("dlt", "redrive", "--topic", topic + ".dlt", "--execute");
        Result again = ops("dlt", "redrive", "--topic", topic + ".dlt", "--execute");

        // Then the record is back three times, once for each group, without the dead-letter headers
        assertThat(redrive.exit()).as(redrive.output()).isZero();
        assertThat(redrive.output()).contains("already redriven for ledger-service");
        assertThat(again.output()).contains("nothing to redrive");
        List<ConsumerRecord<byte[], byte[]>> redriven = kafka.readAll(topic).stream()
                .filter(r -> Arrays.equals(r.value(), poison) && r.offset() != original.offset()).toList();
        assertThat(redriven).map(r -> KafkaTestClient.header(r, DeadLetterHeaders.REDRIVE_TARGET_GROUP).orElseThrow())
                .containsExactlyInAnyOrderElementsOf(groups);
        assertThat(redriven).allSatisfy(record -> {
            assertThat(KafkaTestClient.header(record, DeadLetterHeaders.CONSUMER_GROUP)).isEmpty();
            assertThat(KafkaTestClient.header(record, "trace-id")).contains("t-2");
        });
    }

    @Test
    void deadLettersOfEveryProducersPaymentCommandTopicAreListedAndDecoded() {
        // Given a producer's command topic with a dead letter (a command from someone else's account), and the
        // platform's own dead-letter topics
        String producer = "ops-producer-" + UUID.randomUUID().toString().substring(0, 8);
        Topic<String, InitiatePayment> commands = Topics.paymentCommands(producer);
        kafka.createTopics(1, commands.name(), commands.deadLetterTopic());
        kafka.createTopics(1, Topics.all().stream().map(Topic::deadLetterTopic).toArray(String[]::new));
        byte[] command = commands.valueSerde(SerdeSettings.singleObjectEncoding()).serializer().serialize(
                commands.name(), InitiatePayment.newBuilder().setCommandId("c-1").setSourceAccountId("alice")
                        .setDestinationAccountId("bob").setAmountMinor(100).setCurrency("USD").setReference(null)
                        .setRequestedAt(java.time.Instant.now()).build());
        kafka.send(commands.deadLetterTopic(), "alice", command, Map.of(DeadLetterHeaders.SOURCE_TOPIC, commands.name(),
                DeadLetterHeaders.SOURCE_PARTITION, "0", DeadLetterHeaders.SOURCE_OFFSET, "0",
                DeadLetterHeaders.CONSUMER_GROUP, "payment-service",
                DeadLetterHeaders.ERROR_MESSAGE, "UNKNOWN_ACCOUNT: no account alice you may pay from"));

        // When the operator lists every dead-letter topic, and inspects the dead letter
        Result list = ops("dlt", "list");
        Result inspect = ops("dlt", "inspect", "--topic", commands.deadLetterTopic(), "--partition", "0",
                "--offset", "0");

        // Then the producer's dead-letter topic is among them, and its record decodes as a command
        assertThat(list.exit()).as(list.output()).isZero();
        assertThat(list.output()).contains(commands.deadLetterTopic() + ": 1 records from 1 source record")
                .contains("no account alice you may pay from")
                .contains(Topics.PAYMENTS_INITIATED.deadLetterTopic() + ": ");
        assertThat(inspect.output()).contains("decoded: ").contains("\"commandId\": \"c-1\"");
    }

    private record Result(int exit, String output) {
    }

    private Result ops(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = OpsCli.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8));
    }


    private long committed(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        }
    }
}
