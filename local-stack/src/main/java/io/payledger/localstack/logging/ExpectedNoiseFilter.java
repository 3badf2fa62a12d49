package io.payledger.localstack.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops the few WARN and ERROR events that Kafka's own code logs on a clean start and under normal
 * traffic although nothing is wrong. Each rule names one logger, one level and the message (or
 * exception) that is expected; everything else those loggers say still gets through.
 *
 * <ul>
 *   <li><b>QuorumController, WARN, "The metadata log appears to be empty"</b>: the first start of a
 *       freshly formatted KRaft node writes its bootstrap records. Expected after {@code --fresh}.</li>
 *   <li><b>Producer Sender, WARN, "Error: CONCURRENT_TRANSACTIONS" of a transactional producer</b>, and
 *   <li><b>kafka.server.ReplicaManager, ERROR, {@code OutOfOrderSequenceException}</b> about a new
 *       epoch or a sequence behind one still being verified: both come from transactions v2 (KIP-890,
 *       the default of a Kafka 4 cluster). Under v2 a transaction adds its partitions implicitly: the
 *       partition leader verifies the first produce of each partition with the transaction
 *       coordinator. {@code commitTransaction()} returns once the coordinator has written
 *       PREPARE_COMMIT; the markers are written afterwards. The relays (platform-support) and Kafka
 *       Streams EOS-v2 (fraud-service) begin their next transaction at once, so under load the first
 *       produce of the next transaction reaches a partition while the previous markers are still on
 *       their way: the broker answers CONCURRENT_TRANSACTIONS and the client retries (logged by the
 *       Sender at WARN). A later batch of the same partition already in flight
 *       ({@code max.in.flight.requests.per.connection} up to 5) is then behind a sequence the broker has
 *       not appended, or carries the bumped epoch (v2 bumps it at every commit) with a non-zero
 *       sequence: the broker refuses it with the retriable OUT_OF_ORDER_SEQUENCE_NUMBER, logs that at
 *       ERROR ({@code ReplicaManager} logs every append failure but a few at ERROR), and the producer
 *       resends it in order once the first batch is in. Nothing is lost or duplicated; a real sequence
 *       problem surfaces as a failed send or commit in the producing service, which logs it itself.</li>
 *   <li><b>NetworkClient of the broker's NodeToControllerChannelManager, WARN, "Attempting to close
 *       NetworkClient that has already been closed"</b>: Kafka's own broker shutdown closes that client
 *       twice. Only on Ctrl-C.</li>
 * </ul>
 */
public final class ExpectedNoiseFilter extends Filter<ILoggingEvent> {

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return expected(event) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    static boolean expected(ILoggingEvent event) {
        String logger = event.getLoggerName();
        Level level = event.getLevel();
        if (level == Level.WARN && logger.equals("org.apache.kafka.controller.QuorumController")) {
            return event.getFormattedMessage().contains("The metadata log appears to be empty");
        }
        if (level == Level.WARN && logger.equals("org.apache.kafka.clients.producer.internals.Sender")) {
            String message = event.getFormattedMessage();
            return message.contains("transactionalId=")
                    && (message.endsWith("Error: CONCURRENT_TRANSACTIONS")
                    || message.endsWith("Error: OUT_OF_ORDER_SEQUENCE_NUMBER"));
        }
        if (level == Level.WARN && logger.equals("org.apache.kafka.clients.NetworkClient")) {
            String message = event.getFormattedMessage();
            return message.startsWith("[NodeToControllerChannelManager ")
                    && message.endsWith("Attempting to close NetworkClient that has already been closed.");
        }
        if (level == Level.ERROR && logger.equals("kafka.server.ReplicaManager")) {
            IThrowableProxy thrown = event.getThrowableProxy();
            return thrown != null
                    && thrown.getClassName().equals("org.apache.kafka.common.errors.OutOfOrderSequenceException")
                    && thrown.getMessage() != null
                    && (thrown.getMessage().contains("for new epoch")
                    || thrown.getMessage().contains("(earliest seen sequence)")
                    || thrown.getMessage().contains("Expected sequence 0 for transactions v2"));
        }
        return false;
    }
}
