package io.payledger.fraud.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.schemas.serde.SchemaRegistryUnavailableException;
import io.payledger.schemas.topic.DeadLetterHeaders;
import io.payledger.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.DeserializationHandlerResponse;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.junit.jupiter.api.Test;

/**
 * The handler alone, as Streams configures it (one per task), publishing into an in-memory producer.
 * The real broker path is covered by FraudServiceTest and StreamThreadFailureTest.
 */
class DeadLetteringDeserializationHandlerTest {

    /** The handler reads everything it needs from the record itself. */
    private static final ErrorHandlerContext NO_CONTEXT = null;

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final Map<String, Object> streamsConfig = Map.of(
            StreamsConfig.APPLICATION_ID_CONFIG, "fraud-service",
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092",
            DeadLetteringDeserializationHandler.DEAD_LETTER_PUBLISHER_CONFIG,
            new DeadLetterPublisher(producer, "fraud-service", new SimpleMeterRegistry()));

    @Test
    void handlersOfEveryTaskDeadLetterThroughTheOneSharedPublisherAndCarryOn() {
        // Given two handlers, as Streams makes for two tasks, configured from the same Streams configuration
        DeadLetteringDeserializationHandler task0 = configuredHandler();
        DeadLetteringDeserializationHandler task1 = configuredHandler();

        // When each meets a record that does not decode
        DeserializationHandlerResponse first = task0.handle(NO_CONTEXT, poison(0, "garbage-0"), new SerializationException("bad"));
        DeserializationHandlerResponse second = task1.handle(NO_CONTEXT, poison(1, "garbage-1"), new SerializationException("bad"));

        // Then both go, as their original bytes, through the one producer the application gave them
        assertThat(first).isEqualTo(DeserializationHandlerResponse.CONTINUE);
        assertThat(second).isEqualTo(DeserializationHandlerResponse.CONTINUE);
        assertThat(producer.history()).extracting(ProducerRecord::topic).containsOnly(Topics.PAYMENTS_INITIATED.deadLetterTopic());
        assertThat(producer.history()).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("garbage-0", "garbage-1");
        assertThat(new String(producer.history().get(1).headers().lastHeader(DeadLetterHeaders.SOURCE_PARTITION).value(),
                StandardCharsets.UTF_8)).isEqualTo("1");
    }

    @Test
    void aSchemaRegistryThatCannotBeAskedFailsTheRecordForARetryInsteadOfDeadLetteringIt() {
        // Given a handler
        DeadLetteringDeserializationHandler handler = configuredHandler();

        // When decoding failed because the registry is down, directly or as the cause of another error
        DeserializationHandlerResponse direct = handler.handle(NO_CONTEXT, poison(0, "framed-0"),
                new SchemaRegistryUnavailableException("schema registry unreachable"));
        DeserializationHandlerResponse wrapped = handler.handle(NO_CONTEXT, poison(0, "framed-0"),
                new IllegalStateException("decoding failed",
                        new SchemaRegistryUnavailableException("schema registry unreachable")));

        // Then the record is failed, to be read again, and nothing is dead-lettered
        assertThat(direct).isEqualTo(DeserializationHandlerResponse.FAIL);
        assertThat(wrapped).isEqualTo(DeserializationHandlerResponse.FAIL);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void refusesToStartWithoutTheSharedPublisherRatherThanOpenAProducerOfItsOwn() {
        // Given a Streams configuration without the publisher
        DeadLetteringDeserializationHandler handler = new DeadLetteringDeserializationHandler();

        // When / Then
        assertThatThrownBy(() -> handler.configure(Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DeadLetteringDeserializationHandler.DEAD_LETTER_PUBLISHER_CONFIG);
    }

    private DeadLetteringDeserializationHandler configuredHandler() {
        DeadLetteringDeserializationHandler handler = new DeadLetteringDeserializationHandler();
        handler.configure(streamsConfig);
        return handler;
    }

    private static ConsumerRecord<byte[], byte[]> poison(int partition, String value) {
        return new ConsumerRecord<>(Topics.PAYMENTS_INITIATED.name(), partition, 7L, "alice".getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }
}
