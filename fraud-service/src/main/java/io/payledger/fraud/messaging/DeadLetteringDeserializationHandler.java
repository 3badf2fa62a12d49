package io.payledger.fraud.messaging;

import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.PoisonRecordException;
import io.micrometer.core.instrument.Metrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Sends records that do not decode to {@code <topic>.dlt}, as their original bytes with the error in
 * the headers, and lets the stream carry on. The dead-letter write is acknowledged before Streams
 * moves past the record; it is outside the Streams transaction, so a crash right after may
 * dead-letter a record twice (never lose it).
 */
public final class DeadLetteringDeserializationHandler implements DeserializationExceptionHandler {

    private DeadLetterPublisher deadLetters;
    private KafkaProducer<byte[], byte[]> producer;

    @Override
    public void configure(Map<String, ?> configs) {
        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, configs.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, configs.get(StreamsConfig.APPLICATION_ID_CONFIG) + ".dead-letters");
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer = new KafkaProducer<>(producerConfig);
        deadLetters = new DeadLetterPublisher(producer, String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG)),
                Metrics.globalRegistry);
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                 Exception exception) {
        deadLetters.publish(record, new PoisonRecordException("value on " + record.topic() + " does not decode: "
                + exception.getMessage(), exception));
        return DeserializationHandlerResponse.CONTINUE;
    }
}
