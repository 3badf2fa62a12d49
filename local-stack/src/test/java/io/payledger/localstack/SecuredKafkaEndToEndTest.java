package io.payledger.localstack;

import static io.payledger.demo.DemoAccounts.customer;
import static io.payledger.demo.DemoAccounts.settlement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.payledger.demo.DemoClients;
import io.payledger.events.EntryPosted;
import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.infra.EmbeddedKafkaBroker;
import io.payledger.ops.OpsCli;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The whole platform on a secured broker (SASL_SSL, SCRAM-SHA-512, ACLs enforced), each service as its own
 * principal with the ACLs of {@code PlatformAcls}: payments flow as on a plaintext broker, a principal
 * without the right ACL cannot write where money is decided, a wrong password gets nowhere, and no password
 * reaches the logs. One stack for the whole class; the log check runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredKafkaEndToEndTest {

    private static final Duration TIMEOUT = DemoSession.TIMEOUT;
    /** Kafka's dumps of every client's and the broker's settings: captured (not printed) to prove secrets are hidden. */
    private static final String CONFIG_LOGGER = "org.apache.kafka.common.config.AbstractConfig";
    private static final List<String> AUTHORIZATION_FAILURES = List.of("AuthorizationException", "AUTHORIZATION_FAILED",
            "not authorized", "Not authorized", "SaslAuthenticationException", "failed authentication");

    private static final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private static final ListAppender<ILoggingEvent> configDumps = new ListAppender<>();
    private static PrintStream originalOut;
    private static PrintStream originalErr;
    private static LocalStack stack;
    private static EmbeddedKafkaBroker kafka;
    private static DemoSession demo;
    private static final List<String> foreignSecrets = new ArrayList<>();

    @BeforeAll
    static void startPlatformOnASecuredBroker() throws Exception {
        captureOutput();
        stack = LocalStack.start(LocalStack.Options.forTests().withSecuredKafka()
                .withProperty("payledger.consumer-progress.check-interval", "250ms"));
        kafka = stack.embeddedKafka().orElseThrow();
        demo = DemoSession.seeded(stack);
    }

    @AfterAll
    static void stopPlatform() {
        try {
            if (stack != null) {
                stack.close();
            }
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
            ch.qos.logback.classic.Logger logger = context().getLogger(CONFIG_LOGGER);
            logger.detachAppender(configDumps);
            logger.setLevel(null);
            logger.setAdditive(true);
        }
    }

    @Test
    @Order(1)
    void paymentsArePostedAndRejectedWithEveryServiceAuthenticatedAsItsOwnPrincipal() {
        // Given each service connects with a client properties file of its own user
        for (RunningService service : List.of(stack.payment(), stack.fraud(), stack.ledger(), stack.notification())) {
            KafkaSettings settings = service.context().getBean(KafkaSettings.class);
            assertThat(settings.client()).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
            assertThat(settings.client().get("sasl.jaas.config")).contains("username=\"" + service.name() + "\"");
        }

        // When a payment is made over HTTP, and one over the fraud limit
        String alice = customer("alice", "USD");
        String bob = customer("bob", "USD");
        long aliceBefore = balance(alice);
        long bobBefore = balance(bob);
        String posted = pay(alice, bob, "12.34");
        String rejected = pay(settlement("USD"), bob, "10000.01");

        // Then the relays, Kafka Streams and every consumer did their part, authenticated and authorized
        assertThat(awaitFinal(posted).get("status").asText()).isEqualTo("POSTED");
        assertThat(awaitFinal(rejected).get("status").asText()).isEqualTo("REJECTED");
        assertThat(balance(alice)).isEqualTo(aliceBefore - 1_234);
        assertThat(balance(bob)).isEqualTo(bobBefore + 1_234);
        // (the payer is told of acceptance and posting, the payee of the money received)
        await().atMost(TIMEOUT).until(() -> kinds(posted)
                .equals(List.of("PAYMENT_ACCEPTED", "PAYMENT_POSTED", "PAYMENT_RECEIVED")));
        await().atMost(TIMEOUT).until(() -> kinds(rejected).contains("PAYMENT_REJECTED"));
        // Every consumer progress monitor reads its groups' offsets: ready, progress UP
        for (RunningService service : List.of(stack.payment(), stack.fraud(), stack.ledger(), stack.notification())) {
            HttpApi api = new HttpApi(service.managementUrl());
            await().atMost(TIMEOUT).until(() -> {
                HttpApi.Response readiness = api.get("/actuator/health/readiness");
                return readiness.status() == 200 && readiness.json().get("components").get("consumerProgress")
                        .get("status").asText().equals("UP");
            });
        }
        // and no client of the platform was ever refused anything
        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain(AUTHORIZATION_FAILURES);
    }

    @Test
    @Order(2)
    void aPrincipalWithoutTheAclCannotWriteDecisionsOrLedgerEntriesAndNothingMoves() throws Exception {
        // Given a SCRAM user the operator created but granted nothing, and notification-service's own principal
        String mallory = "mallory";
        String malloryPassword = UUID.randomUUID().toString();
        foreignSecrets.add(malloryPassword);
        try (Admin admin = Admin.create(config(kafka.clientProperties(EmbeddedKafkaBroker.ADMIN_USER)))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(mallory,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), malloryPassword))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        String alice = customer("alice", "EUR");
        String bob = customer("bob", "EUR");
        long aliceBefore = balance(alice);
        long bobBefore = balance(bob);
        String forgedPayment = UUID.randomUUID().toString();
        byte[] approval = Topics.FRAUD_DECISIONS.valueSerde(SerdeSettings.singleObjectEncoding()).serializer().serialize(
                Topics.FRAUD_DECISIONS.name(), approval(forgedPayment, alice, bob));
        byte[] entry = Topics.LEDGER_ENTRIES.valueSerde(SerdeSettings.singleObjectEncoding()).serializer().serialize(
                Topics.LEDGER_ENTRIES.name(), forgedEntry(forgedPayment, bob));

        // When each writes an approval of a payment nobody made, and a ledger entry
        for (Map<String, String> principal : List.of(kafka.clientProperties(mallory, malloryPassword),
                kafka.clientProperties("notification-service"))) {
            try (KafkaProducer<byte[], byte[]> producer = producer(principal)) {
                // Then the broker refuses both
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.FRAUD_DECISIONS.name(),
                        alice.getBytes(StandardCharsets.UTF_8), approval)).get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.LEDGER_ENTRIES.name(),
                        bob.getBytes(StandardCharsets.UTF_8), entry)).get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }

        // And nothing moves: a later payment from the same account is applied, so a forged one would have been
        String later = pay(alice, bob, "0.01");
        assertThat(awaitFinal(later).get("status").asText()).isEqualTo("POSTED");
        assertThat(balance(alice)).isEqualTo(aliceBefore - 1);
        assertThat(balance(bob)).isEqualTo(bobBefore + 1);
        assertThat(demo.ledger.get("/v1/transactions/" + forgedPayment).status()).isEqualTo(404);
        try (KafkaTestClient admin = new KafkaTestClient(kafka.bootstrapServers(),
                kafka.clientProperties(EmbeddedKafkaBroker.ADMIN_USER))) {
            for (String topic : List.of(Topics.FRAUD_DECISIONS.name(), Topics.LEDGER_ENTRIES.name())) {
                assertThat(admin.readAll(topic)).as(topic).isNotEmpty().noneMatch(r -> new String(r.value(),
                        StandardCharsets.ISO_8859_1).contains(forgedPayment));
            }
        }
        // and the books hold, checked by the operator's tool running as the super user
        Ops verify = ops("verify", "--events");
        assertThat(verify.exit()).as(verify.output()).isZero();
        assertThat(verify.output()).contains("VERDICT: the books hold");
    }

    @Test
    @Order(3)
    void aWrongPasswordFailsAuthentication() {
        String wrong = UUID.randomUUID().toString();
        foreignSecrets.add(wrong);
        Map<String, Object> config = config(kafka.clientProperties("ledger-service", wrong));
        try (Admin admin = Admin.create(config)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka.clientProperties("ledger-service", wrong))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.LEDGER_ENTRIES.name(), new byte[0]))
                    .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    @Order(4)
    void theOperatorsCommandsFindEveryTopicAndBindingInPlace() {
        Ops topics = ops("topics");
        Ops acls = ops("acls", "--execute");

        assertThat(topics.exit()).as(topics.output()).isZero();
        assertThat(topics.output()).contains("dry run: 0 of").doesNotContain("MISSING");
        assertThat(acls.exit()).as(acls.output()).isZero();
        assertThat(acls.output()).contains("created 0 ACL bindings").doesNotContain("not in the model");
    }

    @Test
    @Order(5)
    void noPasswordIsLogged() {
        // Given everything the stack wrote to the console, and every client's and the broker's settings as Kafka logs them
        String logged = console.toString(StandardCharsets.UTF_8);
        StringBuilder dumps = new StringBuilder();
        configDumps.list.forEach(event -> dumps.append(event.getFormattedMessage()).append('\n'));
        assertThat(dumps).as("the settings were captured").contains("sasl.jaas.config = [hidden]")
                .contains("ssl.truststore.password = [hidden]").contains("security.protocol = SASL_SSL");
        assertThat(logged).as("the stack's log was captured").contains("Kafka secured");

        // Then none of the broker's passwords (users', internal, keystore, truststore) nor a foreign one is in them
        List<String> secrets = new ArrayList<>(kafka.secrets());
        secrets.addAll(foreignSecrets);
        assertThat(secrets).hasSizeGreaterThan(7);
        for (String secret : secrets) {
            assertThat(logged).doesNotContain(secret);
            assertThat(dumps).doesNotContain(secret);
        }
    }

    private static void captureOutput() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(new Tee(originalOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr), true, StandardCharsets.UTF_8));
        ch.qos.logback.classic.Logger logger = context().getLogger(CONFIG_LOGGER);
        configDumps.setContext(context());
        configDumps.start();
        logger.addAppender(configDumps);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    /** Writes to the console and to {@link #console}. */
    private static final class Tee extends OutputStream {

        private final OutputStream original;

        Tee(OutputStream original) {
            this.original = original;
        }

        @Override
        public void write(int b) {
            synchronized (console) {
                console.write(b);
            }
            try {
                original.write(b);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            synchronized (console) {
                console.write(bytes, offset, length);
            }
            try {
                original.write(bytes, offset, length);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            original.flush();
        }
    }

    private record Ops(int exit, String output) {
    }

    /** The operator's tool as User:admin, through a client properties file as KAFKA_CLIENT_CONFIG. */
    private static Ops ops(String... arguments) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Map<String, String> environment = new HashMap<>();
        environment.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        environment.put("KAFKA_CLIENT_CONFIG", kafka.writeClientProperties(EmbeddedKafkaBroker.ADMIN_USER).toString());
        environment.put("DATABASE_URL", stack.database().jdbcUrl());
        environment.put("DATABASE_USER", stack.database().username());
        environment.put("DATABASE_PASSWORD", stack.database().password());
        int exit = OpsCli.run(arguments, environment, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        return new Ops(exit, buffer.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> config(Map<String, String> clientProperties) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put("bootstrap.servers", kafka.bootstrapServers());
        return config;
    }

    private static KafkaProducer<byte[], byte[]> producer(Map<String, String> clientProperties) {
        Map<String, Object> config = config(clientProperties);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        return new KafkaProducer<>(config);
    }

    private static FraudDecision approval(String paymentId, String from, String to) {
        return FraudDecision.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setPaymentId(paymentId).setVerdict(FraudVerdict.APPROVED).setReasons(List.of())
                .setPayment(PaymentInitiated.newBuilder().setEventId(UUID.randomUUID().toString())
                        .setOccurredAt(Instant.now()).setPaymentId(paymentId).setSourceAccountId(from)
                        .setDestinationAccountId(to).setAmountMinor(50_000).setCurrency("EUR").setReference(null).build())
                .build();
    }

    private static EntryPosted forgedEntry(String paymentId, String account) {
        return EntryPosted.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setAccountId(account).setSequence(1).setTransactionId(paymentId).setPaymentId(paymentId)
                .setCounterpartyAccountId(settlement("EUR")).setAmountMinor(1_000_000).setCurrency("EUR")
                .setBalanceAfter(1_000_000).build();
    }

    private static String pay(String from, String to, String amount) {
        return demo.pay(UUID.randomUUID().toString(), from, to, amount, currencyOf(from));
    }

    private static String currencyOf(String account) {
        return account.substring(account.lastIndexOf('-') + 1).toUpperCase(java.util.Locale.ROOT);
    }

    private static JsonNode awaitFinal(String paymentId) {
        return demo.awaitFinal(paymentId);
    }

    private static long balance(String accountId) {
        return demo.balance(accountId);
    }

    private static List<String> kinds(String paymentId) {
        return demo.kinds(paymentId);
    }
}
