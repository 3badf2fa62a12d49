package io.payledger.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One payment command topic per producer, named so that the topic is the producer's identity. */
class PaymentCommandTopicsTest {

    @ParameterizedTest
    @ValueSource(strings = {"acme", "wallet-app", "payroll_2", "A", "DLT2", "dltx", "x-dlt"})
    void aProducerNameNamesItsTopicAndTheTopicNamesItsProducer(String producer) {
        // When
        Topic<String, ?> topic = Topics.paymentCommands(producer);

        // Then
        assertThat(topic.name()).isEqualTo("payments.commands." + producer);
        assertThat(Topics.producerOf(topic.name())).contains(producer);
        assertThat(Topics.PAYMENT_COMMANDS_SUBSCRIPTION.matcher(topic.name()).matches()).isTrue();
        assertThat(Topics.byName(topic.name())).hasValueSatisfying(found -> assertThat(found.name()).isEqualTo(topic.name()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"payments.commands.acme.dlt", "payments.commands.dlt", "payments.commands.DLT",
            "payments.commands.retry", "payments.commands.", "payments.commands", "payments.commands.a.b",
            "payments.commands.acme_dlt", "payments.commands.acme.retry-1", "payments.initiated",
            "xpayments.commands.acme", "payments.commands.acme ", "payments.commandsXacme",
            "payments.commands.acme.dlt.dlt"})
    void nothingButAProducersOwnTopicMatchesTheSubscription(String topic) {
        assertThat(Topics.PAYMENT_COMMANDS_SUBSCRIPTION.matcher(topic).matches()).as(topic).isFalse();
        assertThat(Topics.producerOf(topic)).as(topic).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "dlt", "Dlt", "retry", "redrive", "dlq", "a.b", "a b", "ü", "x_dlt", "x_DLT",
            "User:acme", "CN=acme,O=example"})
    void aNameThatIsNoProducerNameGetsNoTopic(String name) {
        assertThat(Topics.isProducerName(name)).isFalse();
        assertThatThrownBy(() -> Topics.paymentCommands(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("producer name");
    }

    @Test
    void aProducerNameIsAtMostOneHundredCharacters() {
        assertThat(Topics.isProducerName("p".repeat(100))).isTrue();
        assertThat(Topics.isProducerName("p".repeat(101))).isFalse();
        assertThat(Topics.isProducerName(null)).isFalse();
    }

    @Test
    void aProducersDeadLetterTopicIsKnownAsOneAndIsNoCommandTopic() {
        String deadLetters = Topics.paymentCommands("acme").deadLetterTopic();

        assertThat(deadLetters).isEqualTo("payments.commands.acme.dlt");
        assertThat(Topics.isPaymentCommandsDeadLetterTopic(deadLetters)).isTrue();
        assertThat(Topics.isPaymentCommandsDeadLetterTopic("payments.commands.acme")).isFalse();
        assertThat(Topics.isPaymentCommandsDeadLetterTopic("payments.initiated.dlt")).isFalse();
        assertThat(Topics.producerOf(deadLetters)).isEmpty();
    }

    @Test
    void theTopicsOfFixedNameAreNoCommandTopics() {
        assertThat(Topics.all()).noneMatch(topic -> topic.name().startsWith(Topics.PAYMENT_COMMANDS_PREFIX));
    }
}
