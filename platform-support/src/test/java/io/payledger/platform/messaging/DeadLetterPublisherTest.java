package io.payledger.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payledger.schemas.topic.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DeadLetterPublisherTest {

    /** A dead-letter topic that takes at most {@code limit} bytes of key, value and headers. */
    private static final class SizeLimitedProducer extends MockProducer<byte[], byte[]> {

        private final int limit;

        SizeLimitedProducer(int limit) {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.limit = limit;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
            int size = (record.key() == null ? 0 : record.key().length)
                    + (record.value() == null ? 0 : record.value().length);
            for (Header header : record.headers()) {
                size += header.key().length() + (header.value() == null ? 0 : header.value().length);
            }
            if (size > limit) {
                return CompletableFuture.failedFuture(new RecordTooLargeException("the message is " + size + " bytes"));
            }
            return super.send(record);
        }
    }

    @Test
    void aRecordThatFitsIsDeadLetteredAsItsOriginalBytes() {
        SizeLimitedProducer producer = new SizeLimitedProducer(10_000);
        ConsumerRecord<byte[], byte[]> record = record(new byte[100]);

        new DeadLetterPublisher(producer, "group", new SimpleMeterRegistry()).publish(record,
                new PoisonRecordException("bad"));

        assertThat(producer.history()).singleElement().satisfies(dead -> {
            assertThat(dead.topic()).isEqualTo("payments.initiated.dlt");
            assertThat(dead.value()).isEqualTo(record.value());
            assertThat(dead.headers().lastHeader(DeadLetterHeaders.VALUE_OMITTED)).isNull();
        });
    }

    @Test
    void aRecordTooLargeForItsDeadLetterTopicWithTheHeadersIsDeadLetteredWithoutItsValueRatherThanHeldForEver() {
        // Given a record its topic took, which with the dead-letter headers is larger than the dead-letter topic takes
        SizeLimitedProducer producer = new SizeLimitedProducer(5_000);
        ConsumerRecord<byte[], byte[]> record = record(new byte[4_900]);

        // When it is dead-lettered
        new DeadLetterPublisher(producer, "group", new SimpleMeterRegistry()).publish(record,
                new PoisonRecordException("bad"));

        // Then its dead letter has its key, its headers and the reason, but no value, and says where the original is
        assertThat(producer.history()).singleElement().satisfies(dead -> {
            assertThat(dead.value()).isNull();
            assertThat(dead.key()).isEqualTo(record.key());
            assertThat(new String(dead.headers().lastHeader("trace-id").value(), StandardCharsets.UTF_8))
                    .isEqualTo("abc12345");
            assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.ERROR_MESSAGE).value(),
                    StandardCharsets.UTF_8)).isEqualTo("bad");
            assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.VALUE_OMITTED).value(),
                    StandardCharsets.UTF_8)).contains("4900 bytes").contains("payments.initiated-2@7");
        });
    }

    @Test
    void aRecordWhoseKeyAndHeadersAreTooLargeTooKeepsOnlyTheDeadLetterHeaders() {
        SizeLimitedProducer producer = new SizeLimitedProducer(5_000);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("payments.initiated", 2, 7L, new byte[6_000],
                new byte[10]);

        new DeadLetterPublisher(producer, "group", new SimpleMeterRegistry()).publish(record,
                new PoisonRecordException("bad"));

        assertThat(producer.history()).singleElement().satisfies(dead -> {
            assertThat(dead.key()).isNull();
            assertThat(dead.value()).isNull();
            assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.SOURCE_OFFSET).value(),
                    StandardCharsets.UTF_8)).isEqualTo("7");
            assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.VALUE_OMITTED).value(),
                    StandardCharsets.UTF_8)).startsWith("the value, the key and the headers");
        });
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("payments.initiated", 2, 7L,
                "alice".getBytes(StandardCharsets.UTF_8), value);
        record.headers().add("trace-id", "abc12345".getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
