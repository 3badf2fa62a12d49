package io.payledger.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedInfrastructureTest {

    private static EmbeddedKafkaBroker kafka;
    private static EmbeddedPostgresServer postgres;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaBroker.builder().start();
        postgres = EmbeddedPostgresServer.builder().start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
        postgres.close();
    }

    @Test
    void committedTransactionsAreVisibleToReadCommittedConsumersAndAbortedOnesAreNot() throws Exception {
        // Given
        createTopic(kafka.bootstrapServers(), "tx-test");
        try (KafkaProducer<String, String> producer = transactionalProducer(kafka.bootstrapServers(), "tx-test-producer")) {
            producer.initTransactions();

            // When one transaction commits and a second aborts
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-test", "k", "committed"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-test", "k", "aborted"));
            producer.flush();
            producer.abortTransaction();
        }

        // Then
        assertThat(readAll(kafka.bootstrapServers(), "tx-test")).containsExactly("committed");
    }

    @Test
    void aPersistentBrokerKeepsItsDataAcrossRestarts(@TempDir Path directory) throws Exception {
        // Given a broker with a persistent directory and one record written
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder().dataDirectory(directory).start()) {
            createTopic(first.bootstrapServers(), "durable");
            try (KafkaProducer<String, String> producer = transactionalProducer(first.bootstrapServers(), "durable-tx")) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("durable", "k", "kept"));
                producer.commitTransaction();
            }
        }

        // When it restarts on the same directory
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder().dataDirectory(directory).start()) {
            // Then the record is still there
            assertThat(readAll(second.bootstrapServers(), "durable")).containsExactly("kept");
        }
        assertThat(Files.exists(directory.resolve("logs/meta.properties"))).isTrue();
    }

    @Test
    void postgresCommitsDurably() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SHOW synchronous_commit")) {
            result.next();
            assertThat(result.getString(1)).isEqualTo("on");
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SHOW fsync")) {
            result.next();
            assertThat(result.getString(1)).isEqualTo("on");
        }
    }

    @Test
    void serializableWriteSkewIsAbortedWithSqlState40001() throws SQLException {
        // Given two doctors on call; each transaction takes one off call if the other is still on
        try (Connection setup = connect(); Statement statement = setup.createStatement()) {
            statement.execute("CREATE TABLE on_call (doctor text PRIMARY KEY, on_call boolean NOT NULL)");
            statement.execute("INSERT INTO on_call VALUES ('alice', true), ('bob', true)");
        }
        try (Connection first = connect(); Connection second = connect()) {
            for (Connection c : List.of(first, second)) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            }
            // When both read the same state and write disjoint rows
            assertThat(onCallCount(first)).isEqualTo(2);
            assertThat(onCallCount(second)).isEqualTo(2);
            first.createStatement().execute("UPDATE on_call SET on_call = false WHERE doctor = 'alice'");
            second.createStatement().execute("UPDATE on_call SET on_call = false WHERE doctor = 'bob'");
            first.commit();

            // Then the second is aborted as a serialization failure
            assertThatThrownBy(second::commit).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("40001"));
        }
    }

    private static long onCallCount(Connection connection) throws SQLException {
        try (ResultSet result = connection.createStatement().executeQuery("SELECT count(*) FROM on_call WHERE on_call")) {
            result.next();
            return result.getLong(1);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }

    private static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(String bootstrap, String transactionalId) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    private static List<String> readAll(String bootstrap, String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> values.add(r.value()));
            }
            return values;
        }
    }
}
