package io.payledger.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/asyncapi.yaml is the topic contract in a form tools read; this keeps it true to the code. A failure
 * lists every difference, each naming the channel and what to change.
 */
class AsyncApiContractTest {

    // Surefire runs in the module's directory; the document is the repository's.
    private static final Path DOCS = Path.of("..", "docs");
    private static final Path ASYNCAPI = DOCS.resolve("asyncapi.yaml");

    private final JsonNode document = AsyncApiDrift.read(ASYNCAPI);

    @Test
    void theDocumentMatchesTheTopicsRegistryTheSchemasAndTheKeys() {
        // Given the document in the repository
        assertThat(ASYNCAPI).exists();

        // When it is compared with the Topics registry and the schemas the platform writes
        List<String> problems = AsyncApiDrift.problems(document, DOCS);

        // Then nothing differs
        assertThat(problems)
                .as("docs/asyncapi.yaml has drifted from the code (schemas module); fix the document:%n  %s",
                        String.join("\n  ", problems))
                .isEmpty();
    }

    @Test
    void aMissingTopicIsReported() {
        // Given the document without its ledger.entries channel
        ObjectNode changed = AsyncApiDrift.copy(document);
        ((ObjectNode) changed.path("channels")).remove("ledgerEntries");

        // When it is checked
        List<String> problems = AsyncApiDrift.problems(changed, DOCS);

        // Then exactly that topic is reported missing (its dead-letter topic is still documented)
        assertThat(problems).anyMatch(problem -> problem.startsWith("topic ledger.entries (Topics registry) is not documented"));
        assertThat(problems).allMatch(problem -> problem.contains("ledger.entries") || problem.contains("ledgerEntries"));
    }

    @Test
    void aTopicTheRegistryDoesNotKnowIsReported() {
        // Given a channel for a topic no code names
        ObjectNode changed = AsyncApiDrift.copy(document);
        ((ObjectNode) changed.path("channels")).putObject("ledgerBalances").put("address", "ledger.balances");

        // When it is checked
        List<String> problems = AsyncApiDrift.problems(changed, DOCS);

        // Then it is reported as unknown
        assertThat(problems).containsExactly("channel ledgerBalances (ledger.balances) documents a topic the Topics "
                + "registry does not know: remove it, or add it to io.payledger.schemas.topic.Topics");
    }

    @Test
    void aMessageSchemaOtherThanTheOneThePlatformWritesIsReported() {
        // Given FraudDecision's message pointing at its first published version, not the current one
        ObjectNode changed = AsyncApiDrift.copy(document);
        ObjectNode schema = (ObjectNode) changed.at("/components/messages/FraudDecision/payload/schema");
        schema.put("$ref", "../schemas/src/main/resources/avro-history/io.payledger.events.FraudDecision/v1.avsc");
        assertThat(Files.exists(DOCS.resolve(schema.path("$ref").asText()))).isTrue();

        // When it is checked
        List<String> problems = AsyncApiDrift.problems(changed, DOCS);

        // Then the fraud decisions channel is reported with the schema to reference, and nothing else
        assertThat(problems).singleElement().asString()
                .startsWith("channel fraudDecisions (payments.fraud-decisions) message FraudDecision: its schema")
                .contains("is not the io.payledger.events.FraudDecision the platform writes");
    }

    @Test
    void aRecordTypeTheTopicDoesNotCarryIsReported() {
        // Given ledger.entries documented as carrying TransactionPosted instead of EntryPosted
        ObjectNode changed = AsyncApiDrift.copy(document);
        ObjectNode message = (ObjectNode) changed.at("/channels/ledgerEntries/messages/EntryPosted");
        message.put("$ref", "#/components/messages/TransactionPosted");

        // When it is checked
        List<String> problems = AsyncApiDrift.problems(changed, DOCS);

        // Then both halves of the mismatch are reported
        assertThat(problems).containsExactlyInAnyOrder(
                "channel ledgerEntries (ledger.entries) message EntryPosted is io.payledger.events.TransactionPosted, "
                        + "which ledger.entries does not carry; it carries [io.payledger.events.EntryPosted]",
                "channel ledgerEntries (ledger.entries) does not document io.payledger.events.EntryPosted, which "
                        + "the topic carries");
    }

    @Test
    void aKeyFieldTheValueDoesNotHaveIsReported() {
        // Given EntryPosted's key said to be the value's sourceAccountId, which an entry does not have
        ObjectNode changed = AsyncApiDrift.copy(document);
        ((ObjectNode) changed.at("/components/messages/EntryPosted/bindings/kafka/key"))
                .put("x-payledger-key-field", "sourceAccountId");

        // When it is checked
        List<String> problems = AsyncApiDrift.problems(changed, DOCS);

        // Then the key is reported
        assertThat(problems).containsExactly("channel ledgerEntries (ledger.entries) message EntryPosted: key field "
                + "sourceAccountId is not a field of io.payledger.events.EntryPosted");
    }

    @Test
    void aMissingDeadLetterHeaderIsReported() {
        // Given dead letters documented without the header naming the consumer group
        ObjectNode changed = AsyncApiDrift.copy(document);
        ((ObjectNode) changed.at("/components/schemas/DeadLetterHeaders/properties")).remove("dlt.consumer.group");

        // When it is checked
        List<String> problems = AsyncApiDrift.problems(changed, DOCS);

        // Then every dead-letter topic reports it
        assertThat(problems).isNotEmpty()
                .allMatch(problem -> problem.endsWith("dead-letter header dlt.consumer.group is not documented"))
                .anyMatch(problem -> problem.contains("(ledger.entries.dlt)"))
                .anyMatch(problem -> problem.contains("(payments.commands.acme.dlt)"));
    }

    @Test
    void anOperationNamingAChannelThatIsNotThereIsReported() {
        // Given an operation whose channel was renamed away
        ObjectNode changed = AsyncApiDrift.copy(document);
        ((ObjectNode) changed.at("/operations/ledgerServiceSendsLedgerEntries/channel"))
                .put("$ref", "#/channels/ledgerEntry");

        // When it is checked
        List<String> problems = AsyncApiDrift.problems(changed, DOCS);

        // Then the dangling reference is reported where it is
        assertThat(problems).containsExactly(
                "/operations/ledgerServiceSendsLedgerEntries/channel: $ref #/channels/ledgerEntry points at nothing");
    }
}
