package io.payledger.schemas.topic;

/**
 * Headers on every record of a {@code <topic>.dlt} topic. The value and key are the original bytes;
 * these headers say where they came from and why they could not be processed, so an operator can
 * inspect and redrive them. One source record read by several consumer groups may have a copy per group
 * that failed on it, each naming its group in {@link #CONSUMER_GROUP}.
 */
public final class DeadLetterHeaders {

    public static final String SOURCE_TOPIC = "dlt.source.topic";
    public static final String SOURCE_PARTITION = "dlt.source.partition";
    public static final String SOURCE_OFFSET = "dlt.source.offset";
    public static final String CONSUMER_GROUP = "dlt.consumer.group";
    public static final String ERROR_CLASS = "dlt.error.class";
    public static final String ERROR_MESSAGE = "dlt.error.message";
    public static final String FAILED_AT = "dlt.failed.at";
    /**
     * On a dead letter that carries no value (nor perhaps the key and the original headers): what was left
     * out, and why (the record with these headers was too large for the dead-letter topic). The original
     * is on the source topic, at the partition and offset the other headers name.
     */
    public static final String VALUE_OMITTED = "dlt.value.omitted";

    /**
     * Not on a dead letter but on its redrive: a record written back to its source topic names the one
     * consumer group that dead-lettered it, and every other group skips it. Several groups read a topic,
     * and each that failed on a record dead-letters its own copy, so without this each group would get
     * every group's copy.
     */
    public static final String REDRIVE_TARGET_GROUP = "redrive.target.group";

    private DeadLetterHeaders() {
    }
}
