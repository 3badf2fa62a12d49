package io.payledger.ops.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payledger.ops.OpsCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** What each principal may do, read from the bindings as Kafka's authorizer would match them. */
class PlatformAclsTest {

    private static final String LEDGER = "User:ledger-service";
    private static final String FRAUD = "User:fraud-service";
    private static final String PAYMENT = "User:payment-service";
    private static final String NOTIFICATION = "User:notification-service";

    private final PlatformAcls acls = PlatformAcls.defaults().withProducer("acme");

    @Test
    void onlyTheLedgerWritesTheLedgerTopics() {
        for (String topic : List.of("ledger.entries", "ledger.transactions", "ledger.accounts")) {
            assertThat(allows(LEDGER, AclOperation.WRITE, ResourceType.TOPIC, topic)).as(topic).isTrue();
            for (String other : List.of(FRAUD, PAYMENT, NOTIFICATION, "User:acme")) {
                assertThat(allows(other, AclOperation.WRITE, ResourceType.TOPIC, topic)).as(other + " " + topic).isFalse();
            }
        }
        assertThat(allows(LEDGER, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, "ledger-service.events")).isTrue();
        assertThat(allows(FRAUD, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, "ledger-service.events")).isFalse();
    }

    @Test
    void onlyFraudWritesDecisionsAndOnlyPaymentWritesInitiatedPayments() {
        assertThat(allows(FRAUD, AclOperation.WRITE, ResourceType.TOPIC, "payments.fraud-decisions")).isTrue();
        assertThat(allows(LEDGER, AclOperation.WRITE, ResourceType.TOPIC, "payments.fraud-decisions")).isFalse();
        assertThat(allows(NOTIFICATION, AclOperation.WRITE, ResourceType.TOPIC, "payments.fraud-decisions")).isFalse();
        assertThat(allows(PAYMENT, AclOperation.WRITE, ResourceType.TOPIC, "payments.fraud-decisions")).isFalse();
        assertThat(allows(PAYMENT, AclOperation.WRITE, ResourceType.TOPIC, "payments.initiated")).isTrue();
        assertThat(allows(FRAUD, AclOperation.WRITE, ResourceType.TOPIC, "payments.initiated")).isFalse();
        // Fraud may not write the ledger's topics, nor read what it does not consume.
        assertThat(allows(FRAUD, AclOperation.WRITE, ResourceType.TOPIC, "ledger.entries")).isFalse();
        assertThat(allows(FRAUD, AclOperation.READ, ResourceType.TOPIC, "ledger.entries")).isFalse();
        assertThat(allows(FRAUD, AclOperation.READ, ResourceType.TOPIC, "payments.initiated")).isTrue();
    }

    @Test
    void eachServiceReadsWhatItConsumesInItsOwnGroupsOnly() {
        assertThat(allows(LEDGER, AclOperation.READ, ResourceType.TOPIC, "payments.fraud-decisions")).isTrue();
        assertThat(allows(LEDGER, AclOperation.READ, ResourceType.GROUP, "ledger-service")).isTrue();
        assertThat(allows(LEDGER, AclOperation.READ, ResourceType.GROUP, "notification-service")).isFalse();
        assertThat(allows(PAYMENT, AclOperation.READ, ResourceType.GROUP, "payment-service")).isTrue();
        assertThat(allows(PAYMENT, AclOperation.READ, ResourceType.GROUP, "payment-service.outcomes")).isTrue();
        assertThat(allows(PAYMENT, AclOperation.READ, ResourceType.GROUP, "payment-service.accounts")).isTrue();
        assertThat(allows(PAYMENT, AclOperation.READ, ResourceType.GROUP, "ledger-service")).isFalse();
        // payment-service keeps its own copy of the ledger's accounts, notification-service their owners (in a
        // group of its own); fraud-service reads none of it
        assertThat(allows(PAYMENT, AclOperation.READ, ResourceType.TOPIC, "ledger.accounts")).isTrue();
        assertThat(allows(NOTIFICATION, AclOperation.READ, ResourceType.TOPIC, "ledger.accounts")).isTrue();
        assertThat(allows(NOTIFICATION, AclOperation.READ, ResourceType.GROUP, "notification-service.accounts")).isTrue();
        assertThat(allows(NOTIFICATION, AclOperation.READ, ResourceType.GROUP, "payment-service.accounts")).isFalse();
        assertThat(allows(FRAUD, AclOperation.READ, ResourceType.TOPIC, "ledger.accounts")).isFalse();
        assertThat(allows(NOTIFICATION, AclOperation.READ, ResourceType.TOPIC, "ledger.transactions")).isTrue();
        assertThat(allows(NOTIFICATION, AclOperation.READ, ResourceType.TOPIC, "ledger.entries")).isFalse();
        assertThat(allows(FRAUD, AclOperation.READ, ResourceType.GROUP, "fraud-service")).isTrue();
    }

    @Test
    void aServiceDeadLettersOnlyWhatItConsumesAndCreatesOnlyItsOwnInternalTopics() {
        assertThat(allows(LEDGER, AclOperation.WRITE, ResourceType.TOPIC, "payments.fraud-decisions.dlt")).isTrue();
        assertThat(allows(LEDGER, AclOperation.WRITE, ResourceType.TOPIC, "payments.initiated.dlt")).isFalse();
        assertThat(allows(LEDGER, AclOperation.CREATE, ResourceType.TOPIC, "payledger.relay-checkpoints.ledger-service.events"))
                .isTrue();
        assertThat(allows(LEDGER, AclOperation.CREATE, ResourceType.TOPIC, "ledger.entries")).isFalse();
        assertThat(allows(FRAUD, AclOperation.CREATE, ResourceType.TOPIC, "fraud-service-decisions-changelog")).isTrue();
        assertThat(allows(FRAUD, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, "fraud-service-3f1c-1")).isTrue();
        assertThat(allows(PAYMENT, AclOperation.CREATE, ResourceType.TOPIC, "fraud-service-decisions-changelog")).isFalse();
        // Every service may see that every platform topic exists, which it checks at start.
        assertThat(allows(NOTIFICATION, AclOperation.DESCRIBE, ResourceType.TOPIC, "ledger.entries")).isTrue();
    }

    @Test
    void aProducerWritesItsOwnCommandTopicAndNothingElse() {
        assertThat(acls.grantsOf("User:acme")).extracting(grant -> grant.binding().pattern().name())
                .containsOnly("payments.commands.acme");
        assertThat(allows("User:acme", AclOperation.WRITE, ResourceType.TOPIC, "payments.commands.acme")).isTrue();
        assertThat(allows("User:acme", AclOperation.WRITE, ResourceType.TOPIC, "payments.commands.other")).isFalse();
        assertThat(allows("User:acme", AclOperation.READ, ResourceType.TOPIC, "payments.commands.acme")).isFalse();
        // payment-service reads every producer's commands, and writes none of them.
        assertThat(allows(PAYMENT, AclOperation.READ, ResourceType.TOPIC, "payments.commands.acme")).isTrue();
        assertThat(allows(PAYMENT, AclOperation.READ, ResourceType.TOPIC, "payments.commands.other")).isTrue();
        assertThat(allows(PAYMENT, AclOperation.WRITE, ResourceType.TOPIC, "payments.commands.acme")).isFalse();
        assertThat(allows(PAYMENT, AclOperation.WRITE, ResourceType.TOPIC, "payments.commands.acme.dlt")).isTrue();
        // There is no shared command topic any more
        assertThat(allows(PAYMENT, AclOperation.READ, ResourceType.TOPIC, "payments.commands")).isFalse();
        assertThat(acls.topics(new io.payledger.platform.messaging.KafkaSettings("x:9092", null, 3, (short) 1, null,
                null, null))).extracting(topic -> topic.name()).contains("payments.commands.acme",
                "payments.commands.acme.dlt", "ledger.entries", "ledger.entries.dlt");
    }

    @Test
    void principalsAreConfigurable() {
        PlatformAcls renamed = PlatformAcls.defaults().withPrincipal("ledger-service", "User:ledger");

        assertThat(renamed.grantsOf("User:ledger")).isNotEmpty();
        assertThat(renamed.grantsOf(LEDGER)).isEmpty();
        assertThatThrownBy(() -> PlatformAcls.defaults().withPrincipal("books-service", "User:x"))
                .hasMessageContaining("unknown service");
        assertThatThrownBy(() -> PlatformAcls.defaults().withProducer("a.b")).hasMessageContaining("producer name");
        // payments.commands.dlt and payments.commands.x_dlt would be dead-letter topics, not command topics
        assertThatThrownBy(() -> PlatformAcls.defaults().withProducer("dlt")).hasMessageContaining("producer name");
        assertThatThrownBy(() -> PlatformAcls.defaults().withProducer("x_dlt")).hasMessageContaining("producer name");
    }

    @Test
    void theDryRunListsEveryBindingAndChangesNothing() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int exit = OpsCli.run(new String[] {"acls", "--principal", "ledger-service=User:ledger", "--producer", "acme"},
                Map.of("KAFKA_BOOTSTRAP_SERVERS", "nowhere.invalid:9092"), new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String output = buffer.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(output).isZero();
        assertThat(output).contains("dry run: nothing changed")
                .containsPattern("User:ledger +ALLOW +WRITE +TOPIC +LITERAL +ledger\\.entries ")
                .containsPattern("User:fraud-service +ALLOW +WRITE +TOPIC +LITERAL +payments\\.fraud-decisions ")
                .containsPattern("User:acme +ALLOW +WRITE +TOPIC +LITERAL +payments\\.commands\\.acme ")
                .containsPattern("User:payment-service +ALLOW +READ +TOPIC +PREFIXED +payments\\.commands\\. ")
                .doesNotContainPattern("User:fraud-service +ALLOW +WRITE +TOPIC +LITERAL +ledger\\.entries ");
        assertThat(output.lines().filter(line -> line.startsWith("  User:")).count()).isEqualTo(
                PlatformAcls.defaults().withPrincipal("ledger-service", "User:ledger").withProducer("acme").grants().size());
    }

    /** Whether an ALLOW binding of {@code principal} matches, literally or by prefix (nothing here denies). */
    private boolean allows(String principal, AclOperation operation, ResourceType type, String name) {
        for (AclBinding binding : acls.bindings()) {
            boolean matches = binding.pattern().resourceType() == type
                    && (binding.pattern().patternType() == PatternType.LITERAL ? binding.pattern().name().equals(name)
                    : name.startsWith(binding.pattern().name()));
            boolean operationCovers = binding.entry().operation() == operation
                    // As Kafka's authorizer: READ, WRITE, DELETE and ALTER imply DESCRIBE.
                    || (operation == AclOperation.DESCRIBE && List.of(AclOperation.READ, AclOperation.WRITE,
                    AclOperation.DELETE, AclOperation.ALTER).contains(binding.entry().operation()));
            if (matches && operationCovers && binding.entry().principal().equals(principal)) {
                return true;
            }
        }
        return false;
    }
}
