package io.payledger.ops.acl;

import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.platform.relay.RelayCheckpoints;
import io.payledger.schemas.topic.Topics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The platform's ACL model: every binding each service's principal needs on a cluster that allows nothing
 * without an ACL, and nothing more; and, per external producer, the one topic it may write commands to.
 *
 * <p>Derived from the code, service by service (the names below are the services' own constants, checked
 * against them by local-stack's {@code PlatformAclsMatchTheServicesTest}):
 * <ul>
 *   <li>every topic a service consumes: READ and DESCRIBE; its consumer groups: READ (the listener
 *       containers commit offsets; the consumer progress monitor reads them, DESCRIBE being implied);</li>
 *   <li>the dead-letter topic of every topic it consumes ({@code <topic>.dlt}, {@link DeadLetterPublisher}):
 *       WRITE and DESCRIBE, through its idempotent dead-letter producer;</li>
 *   <li>each of its transactional relays: WRITE and DESCRIBE on the relay's name as transactional ID and on the
 *       topics it publishes, and CREATE, READ, WRITE, DESCRIBE on its checkpoint topic
 *       ({@link RelayCheckpoints}, which the relay creates itself);</li>
 *   <li>DESCRIBE on every platform topic and dead-letter topic: each service checks at start that they all
 *       exist ({@code PlatformTopicsConfig}). It may not create them: the operator creates them beforehand
 *       ({@code payledger-ops topics --execute}), so no service can create another's topic with its own
 *       layout;</li>
 *   <li>fraud-service, a Kafka Streams application (exactly-once v2) with application ID {@code fraud-service}:
 *       its group, and, prefixed {@code fraud-service-}, its internal topics (changelogs, and repartition
 *       topics should the topology ever need them: CREATE, READ, WRITE, DELETE, DESCRIBE, DESCRIBE_CONFIGS)
 *       and its transactional IDs ({@code <application.id>-<process>-<thread>}: WRITE, DESCRIBE).</li>
 * </ul>
 * No IDEMPOTENT_WRITE on the cluster: since Kafka 3.0 (KIP-679) WRITE on any topic lets a principal's
 * idempotent producer initialize. No schema-registry topic: the registry (optional) is an HTTP service that
 * keeps its own topic under its own principal.
 *
 * <p>Producer commands: producer {@code <name>} writes to {@code payments.commands.<name>} only, as
 * {@code User:<name>}, so the topic a command arrives on names who sent it. payment-service reads every topic
 * prefixed {@code payments.commands.} and may dead-letter each producer's commands to
 * {@code payments.commands.<name>.dlt} ({@link Topics#paymentCommands(String)}; a producer name is
 * {@link Topics#PRODUCER_NAME_RULE}).
 *
 * <p>The operator's own tool ({@code payledger-ops}: replay, dead-letter redrive, verify, these ACLs) runs as
 * the cluster's super user.
 */
public final class PlatformAcls {

    public static final String PAYMENT_SERVICE = "payment-service";
    public static final String FRAUD_SERVICE = "fraud-service";
    public static final String LEDGER_SERVICE = "ledger-service";
    public static final String NOTIFICATION_SERVICE = "notification-service";
    public static final List<String> SERVICES = List.of(PAYMENT_SERVICE, FRAUD_SERVICE, LEDGER_SERVICE,
            NOTIFICATION_SERVICE);

    /** payment-service's groups: commands ({@code payment-service}) and outcomes ({@code payment-service.outcomes}). */
    public static final String PAYMENT_COMMANDS_GROUP = "payment-service";
    public static final String PAYMENT_OUTCOMES_GROUP = "payment-service.outcomes";
    /** payment-service's copy of the ledger's accounts (ledger.accounts). */
    public static final String PAYMENT_ACCOUNTS_GROUP = "payment-service.accounts";
    public static final String PAYMENT_OUTBOX_RELAY = "payment-service.outbox";
    public static final String LEDGER_GROUP = "ledger-service";
    public static final String LEDGER_EVENTS_RELAY = "ledger-service.events";
    public static final String NOTIFICATION_GROUP = "notification-service";
    /** notification-service's copy of the accounts' owners (ledger.accounts): whose inbox and webhooks each is. */
    public static final String NOTIFICATION_ACCOUNTS_GROUP = "notification-service.accounts";
    /** fraud-service's Kafka Streams application ID: its group, and the prefix of its internal topics and transactional IDs. */
    public static final String FRAUD_APPLICATION_ID = "fraud-service";

    /** Producer {@code <name>} sends its payment commands to {@code payments.commands.<name>}. */
    public static final String COMMAND_TOPIC_PREFIX = Topics.PAYMENT_COMMANDS_PREFIX;
    private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z]+:.+");

    /** One binding and why the platform needs it. */
    public record Grant(AclBinding binding, String why) {

        public String principal() {
            return binding.entry().principal();
        }

        @Override
        public String toString() {
            ResourcePattern resource = binding.pattern();
            return String.format("%-28s %-5s %-16s %-16s %-8s %-50s %s", principal(),
                    binding.entry().permissionType(), binding.entry().operation(), resource.resourceType(),
                    resource.patternType(), resource.name(), why);
        }
    }

    private final Map<String, String> principals;
    private final Set<String> producers;

    private PlatformAcls(Map<String, String> principals, Set<String> producers) {
        this.principals = principals;
        this.producers = producers;
    }

    /** Each service as {@code User:<service name>}, no producers. */
    public static PlatformAcls defaults() {
        Map<String, String> principals = new LinkedHashMap<>();
        SERVICES.forEach(service -> principals.put(service, "User:" + service));
        return new PlatformAcls(Collections.unmodifiableMap(principals), Set.of());
    }

    /** The principal {@code service} runs as, e.g. {@code withPrincipal("ledger-service", "User:ledger")}. */
    public PlatformAcls withPrincipal(String service, String principal) {
        if (!SERVICES.contains(service)) {
            throw new IllegalArgumentException("unknown service " + service + "; the services are " + SERVICES);
        }
        if (principal == null || !PRINCIPAL.matcher(principal).matches()) {
            throw new IllegalArgumentException("a principal is <type>:<name>, e.g. User:" + service + ", not " + principal);
        }
        Map<String, String> changed = new LinkedHashMap<>(principals);
        changed.put(service, principal);
        return new PlatformAcls(Collections.unmodifiableMap(changed), producers);
    }

    /** A producer of payment commands, {@code User:<name>}, writing to {@code payments.commands.<name>}. */
    public PlatformAcls withProducer(String name) {
        if (!Topics.isProducerName(name)) {
            throw new IllegalArgumentException("a producer name is " + Topics.PRODUCER_NAME_RULE + " (it names the topic "
                    + COMMAND_TOPIC_PREFIX + "<name>), not " + name);
        }
        Set<String> changed = new LinkedHashSet<>(producers);
        changed.add(name);
        return new PlatformAcls(principals, Collections.unmodifiableSet(changed));
    }

    public String principal(String service) {
        return principals.get(service);
    }

    public Set<String> producers() {
        return producers;
    }

    public static String commandTopic(String producer) {
        return Topics.paymentCommands(producer).name();
    }

    /**
     * Every topic the operator creates before the services start: the platform's topics and their dead-letter
     * topics, as each service declares them, and each producer's command topic with its dead-letter topic.
     * Relays create their checkpoint topics and Kafka Streams its internal topics themselves.
     */
    public List<NewTopic> topics(KafkaSettings kafka) {
        List<NewTopic> topics = new ArrayList<>(kafka.platformTopics());
        for (String producer : producers) {
            topics.add(new NewTopic(commandTopic(producer), kafka.partitions(), kafka.replicationFactor()));
            topics.add(new NewTopic(Topics.paymentCommands(producer).deadLetterTopic(), kafka.partitions(),
                    kafka.replicationFactor()));
        }
        return topics;
    }

    /** Every binding once, service by service, then producer by producer. */
    public List<Grant> grants() {
        List<Grant> grants = new ArrayList<>();
        payment(grants, principals.get(PAYMENT_SERVICE));
        everyPlatformTopicDescribed(grants, principals.get(PAYMENT_SERVICE));
        fraud(grants, principals.get(FRAUD_SERVICE));
        everyPlatformTopicDescribed(grants, principals.get(FRAUD_SERVICE));
        ledger(grants, principals.get(LEDGER_SERVICE));
        everyPlatformTopicDescribed(grants, principals.get(LEDGER_SERVICE));
        notification(grants, principals.get(NOTIFICATION_SERVICE));
        everyPlatformTopicDescribed(grants, principals.get(NOTIFICATION_SERVICE));
        for (String producer : producers) {
            String topic = commandTopic(producer);
            String why = "producer " + producer + " sends payment commands";
            grants.add(allow("User:" + producer, AclOperation.WRITE, ResourceType.TOPIC, PatternType.LITERAL, topic, why));
            grants.add(allow("User:" + producer, AclOperation.DESCRIBE, ResourceType.TOPIC, PatternType.LITERAL, topic, why));
        }
        // The first reason for a binding is the one shown (a consumed topic is described for more than its check).
        Map<AclBinding, Grant> once = new LinkedHashMap<>();
        grants.forEach(grant -> once.putIfAbsent(grant.binding(), grant));
        return List.copyOf(once.values());
    }

    public List<AclBinding> bindings() {
        return grants().stream().map(Grant::binding).toList();
    }

    /** The grants of one principal. */
    public List<Grant> grantsOf(String principal) {
        return grants().stream().filter(grant -> grant.principal().equals(principal)).toList();
    }

    private void payment(List<Grant> grants, String principal) {
        grants.add(allow(principal, AclOperation.READ, ResourceType.TOPIC, PatternType.PREFIXED, COMMAND_TOPIC_PREFIX,
                "consumes every producer's command topic (group " + PAYMENT_COMMANDS_GROUP + ")"));
        grants.add(allow(principal, AclOperation.DESCRIBE, ResourceType.TOPIC, PatternType.PREFIXED, COMMAND_TOPIC_PREFIX,
                "consumes every producer's command topic (group " + PAYMENT_COMMANDS_GROUP + ")"));
        for (String producer : producers) {
            deadLetters(grants, principal, commandTopic(producer));
        }
        String outcomes = "learns outcomes (group " + PAYMENT_OUTCOMES_GROUP + ")";
        consumes(grants, principal, Topics.FRAUD_DECISIONS.name(), outcomes);
        consumes(grants, principal, Topics.LEDGER_TRANSACTIONS.name(), outcomes);
        consumes(grants, principal, Topics.LEDGER_ACCOUNTS.name(),
                "keeps its copy of the ledger's accounts (group " + PAYMENT_ACCOUNTS_GROUP + ")");
        grants.add(allow(principal, AclOperation.READ, ResourceType.GROUP, PatternType.PREFIXED, PAYMENT_SERVICE,
                "its consumer groups " + PAYMENT_COMMANDS_GROUP + ", " + PAYMENT_OUTCOMES_GROUP + " and "
                        + PAYMENT_ACCOUNTS_GROUP));
        relay(grants, principal, PAYMENT_OUTBOX_RELAY, Topics.PAYMENTS_INITIATED.name());
    }

    private void fraud(List<Grant> grants, String principal) {
        String why = "Kafka Streams input (application " + FRAUD_APPLICATION_ID + ")";
        consumes(grants, principal, Topics.PAYMENTS_INITIATED.name(), why);
        grants.add(allow(principal, AclOperation.READ, ResourceType.GROUP, PatternType.LITERAL, FRAUD_APPLICATION_ID,
                "Kafka Streams' consumer group is its application ID"));
        publishes(grants, principal, Topics.FRAUD_DECISIONS.name(), "Kafka Streams output: the only writer of decisions");
        String internal = "Kafka Streams' internal topics (changelogs, repartition)";
        for (AclOperation operation : List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE,
                AclOperation.DELETE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS)) {
            grants.add(allow(principal, operation, ResourceType.TOPIC, PatternType.PREFIXED, FRAUD_APPLICATION_ID + "-",
                    internal));
        }
        String transactions = "Kafka Streams exactly-once v2: <application.id>-<process>-<thread>";
        grants.add(allow(principal, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, PatternType.PREFIXED,
                FRAUD_APPLICATION_ID + "-", transactions));
        grants.add(allow(principal, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, PatternType.PREFIXED,
                FRAUD_APPLICATION_ID + "-", transactions));
    }

    private void ledger(List<Grant> grants, String principal) {
        consumes(grants, principal, Topics.FRAUD_DECISIONS.name(), "applies approved payments (group " + LEDGER_GROUP + ")");
        grants.add(allow(principal, AclOperation.READ, ResourceType.GROUP, PatternType.LITERAL, LEDGER_GROUP,
                "its consumer group"));
        relay(grants, principal, LEDGER_EVENTS_RELAY, Topics.LEDGER_TRANSACTIONS.name(), Topics.LEDGER_ENTRIES.name(),
                Topics.LEDGER_ACCOUNTS.name());
    }

    private void notification(List<Grant> grants, String principal) {
        String why = "notifies (group " + NOTIFICATION_GROUP + ")";
        consumes(grants, principal, Topics.PAYMENTS_INITIATED.name(), why);
        consumes(grants, principal, Topics.FRAUD_DECISIONS.name(), why);
        consumes(grants, principal, Topics.LEDGER_TRANSACTIONS.name(), why);
        grants.add(allow(principal, AclOperation.READ, ResourceType.GROUP, PatternType.LITERAL, NOTIFICATION_GROUP,
                "its consumer group"));
        consumes(grants, principal, Topics.LEDGER_ACCOUNTS.name(),
                "keeps the accounts' owners (group " + NOTIFICATION_ACCOUNTS_GROUP + ")");
        grants.add(allow(principal, AclOperation.READ, ResourceType.GROUP, PatternType.LITERAL,
                NOTIFICATION_ACCOUNTS_GROUP, "its account owners' consumer group"));
    }

    /** READ and DESCRIBE on the topic; WRITE and DESCRIBE on its dead-letter topic. */
    private static void consumes(List<Grant> grants, String principal, String topic, String why) {
        grants.add(allow(principal, AclOperation.READ, ResourceType.TOPIC, PatternType.LITERAL, topic, why));
        grants.add(allow(principal, AclOperation.DESCRIBE, ResourceType.TOPIC, PatternType.LITERAL, topic, why));
        deadLetters(grants, principal, topic);
    }

    private static void deadLetters(List<Grant> grants, String principal, String topic) {
        String deadLetterTopic = DeadLetterPublisher.deadLetterTopicOf(topic);
        String why = "dead-letters what it cannot process from " + topic;
        grants.add(allow(principal, AclOperation.WRITE, ResourceType.TOPIC, PatternType.LITERAL, deadLetterTopic, why));
        grants.add(allow(principal, AclOperation.DESCRIBE, ResourceType.TOPIC, PatternType.LITERAL, deadLetterTopic, why));
    }

    private static void publishes(List<Grant> grants, String principal, String topic, String why) {
        grants.add(allow(principal, AclOperation.WRITE, ResourceType.TOPIC, PatternType.LITERAL, topic, why));
        grants.add(allow(principal, AclOperation.DESCRIBE, ResourceType.TOPIC, PatternType.LITERAL, topic, why));
    }

    /** A transactional relay: its transactional ID, its checkpoint topic, and what it publishes. */
    private static void relay(List<Grant> grants, String principal, String relay, String... topics) {
        String why = "relay " + relay;
        grants.add(allow(principal, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, PatternType.LITERAL, relay,
                why + ": its transactional ID"));
        grants.add(allow(principal, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, PatternType.LITERAL, relay,
                why + ": its transactional ID"));
        String checkpoints = RelayCheckpoints.topicOf(relay);
        for (AclOperation operation : List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE,
                AclOperation.DESCRIBE)) {
            grants.add(allow(principal, operation, ResourceType.TOPIC, PatternType.LITERAL, checkpoints,
                    why + ": its checkpoint topic, which it creates"));
        }
        for (String topic : topics) {
            publishes(grants, principal, topic, why + " publishes (the only writer)");
        }
    }

    /** Each service checks at start that every platform topic exists, and creates none. */
    private static void everyPlatformTopicDescribed(List<Grant> grants, String principal) {
        for (String topic : platformTopicNames()) {
            grants.add(allow(principal, AclOperation.DESCRIBE, ResourceType.TOPIC, PatternType.LITERAL, topic,
                    "checks at start that the platform's topics exist"));
        }
    }

    /** The topics every service declares at start (KafkaSettings#platformTopics), by name. */
    static List<String> platformTopicNames() {
        return new KafkaSettings("names-only:9092", null, 0, (short) 0, null, null, null).platformTopics().stream()
                .map(NewTopic::name).toList();
    }

    private static Grant allow(String principal, AclOperation operation, ResourceType type, PatternType patternType,
                               String name, String why) {
        return new Grant(new AclBinding(new ResourcePattern(type, name, patternType),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)), why);
    }
}
