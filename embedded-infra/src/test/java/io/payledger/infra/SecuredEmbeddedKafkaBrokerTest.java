package io.payledger.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker started secured: SASL_SSL with SCRAM users, ACLs enforced, admin the super user. */
class SecuredEmbeddedKafkaBrokerTest {

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafkaBroker.builder().scramUser("alice", "alice-secret-1").scramUser("bob", "bob-secret-1")
                .start();
        try (Admin admin = Admin.create(config("admin"))) {
            admin.createTopics(List.of(new NewTopic("secured", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "secured", PatternType.LITERAL),
                    new AccessControlEntry("User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void aUserMayWriteWhereAnAclAllowsItAndAnotherIsRefused() throws Exception {
        // Given alice may write to the topic and bob may not
        // When both write
        try (KafkaProducer<String, String> alice = producer(config("alice"));
             KafkaProducer<String, String> bob = producer(config("bob"))) {
            alice.send(new ProducerRecord<>("secured", "k", "from alice")).get(30, TimeUnit.SECONDS);

            // Then the broker refuses bob
            assertThatThrownBy(() -> bob.send(new ProducerRecord<>("secured", "k", "from bob")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(readAll(config("admin"), "secured")).containsExactly("from alice");
    }

    @Test
    void aWrongPasswordFailsAuthentication() {
        Map<String, Object> config = new HashMap<>(kafka.clientProperties("alice", "not-alice-secret"));
        config.put("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void transactionsCommitOverTheSecuredListener() throws Exception {
        // Transaction markers travel over the broker's internal listener, authenticated too.
        try (Admin admin = Admin.create(config("admin"))) {
            admin.createTopics(List.of(new NewTopic("secured-tx", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> config = config("admin");
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "secured-tx");
        try (KafkaProducer<String, String> producer = producer(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("secured-tx", "k", "committed"));
            producer.commitTransaction();
        }
        assertThat(readAll(config("admin"), "secured-tx")).containsExactly("committed");
    }

    @Test
    void theWrittenClientPropertiesFileIsAllAClientNeedsBesidesBootstrapServers(@TempDir Path directory) throws Exception {
        Path file = kafka.writeClientProperties("alice", directory.resolve("alice.properties"));

        Properties loaded = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            loaded.load(in);
        }
        assertThat(loaded).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", kafka.truststoreLocation().toString())
                .containsEntry("ssl.truststore.password", kafka.truststorePassword())
                .containsEntry("ssl.truststore.type", "PKCS12").doesNotContainKey("bootstrap.servers");
        assertThat(loaded.getProperty("sasl.jaas.config")).isEqualTo(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"alice-secret-1\";");
        Map<String, Object> config = new HashMap<>();
        loaded.stringPropertyNames().forEach(name -> config.put(name, loaded.getProperty(name)));
        config.put("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void aPersistentSecuredBrokerTakesNewPasswordsWhenItRestarts(@TempDir Path directory) throws Exception {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder().dataDirectory(directory)
                .scramUser("carol", "first-password").start()) {
            assertThat(first.users()).containsExactlyInAnyOrder("admin", "carol");
        }
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder().dataDirectory(directory)
                .scramUser("carol", "second-password").start()) {
            Map<String, Object> config = new HashMap<>(second.clientProperties("carol"));
            config.put("bootstrap.servers", second.bootstrapServers());
            try (Admin admin = Admin.create(config)) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }
        }
    }

    private static Map<String, Object> config(String user) {
        Map<String, Object> config = new HashMap<>(kafka.clientProperties(user));
        config.put("bootstrap.servers", kafka.bootstrapServers());
        return config;
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> config) {
        Map<String, Object> producer = new HashMap<>(config);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        producer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return new KafkaProducer<>(producer);
    }

    private static List<String> readAll(Map<String, Object> config, String topic) {
        Map<String, Object> consumer = new HashMap<>(config);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(consumer)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            long end = reader.endOffsets(List.of(partition)).get(partition);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (reader.position(partition) < end && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(100)).forEach(r -> values.add(r.value()));
            }
            return values;
        }
    }
}
