package io.payledger.schemas.topic;

/**
 * Headers on every record of a {@code <topic>.dlt} topic. The value and key are the original bytes;
 * these headers say where they came from and why they could not be processed, so an operator can
 * inspect and redrive them.
 */
public final class DeadLetterHeaders {

    public static final String SOURCE_TOPIC = "dlt.source.topic";
    public static final String SOURCE_PARTITION = "dlt.source.partition";
    public static final String SOURCE_OFFSET = "dlt.source.offset";
    public static final String CONSUMER_GROUP = "dlt.consumer.group";
    public static final String ERROR_CLASS = "dlt.error.class";
    public static final String ERROR_MESSAGE = "dlt.error.message";
    public static final String FAILED_AT = "dlt.failed.at";

    private DeadLetterHeaders() {
    }
}
