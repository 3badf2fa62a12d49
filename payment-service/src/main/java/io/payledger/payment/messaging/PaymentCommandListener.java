package io.payledger.payment.messaging;

import io.payledger.commands.InitiatePayment;
import io.payledger.payment.domain.AccountDirectoryUnavailableException;
import io.payledger.payment.domain.Channel;
import io.payledger.payment.domain.PaymentIntake;
import io.payledger.payment.domain.PaymentRefusal;
import io.payledger.payment.domain.PaymentRefusedException;
import io.payledger.payment.domain.PaymentRequest;
import io.payledger.payment.domain.Submitter;
import io.payledger.platform.messaging.DeadLetterBatch;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.PoisonRecordException;
import io.payledger.platform.messaging.RecordLogContext;
import io.payledger.platform.messaging.RetryLaterException;
import io.payledger.platform.messaging.TopicReader;
import io.payledger.platform.rules.TraceIds;
import io.payledger.platform.tracing.RecordTracing;
import io.payledger.platform.tracing.TracedBatch;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.schemas.topic.TraceHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Transport adapter for the payment command topics, {@code payments.commands.<producer>}, a poll at a time. The broker lets
 * only the producer's own principal write its topic (ACLs), so the topic names who sent a command: the
 * payment belongs to that producer, which may pay only out of accounts it owns and never out of a SYSTEM
 * account (no scope travels over Kafka). A command that can never be accepted (it does not decode, or it
 * is refused, e.g. a malformed field, an unknown account, another's account or a reused command ID) goes
 * to the dead-letter topic of the topic it came from, {@code payments.commands.<producer>.dlt}, with the
 * reason in its headers; a command that only cannot be accepted yet (ledger unreachable, same command in
 * flight) is retried.
 */
public final class PaymentCommandListener {

    private static final Logger log = LoggerFactory.getLogger(PaymentCommandListener.class);

    private final SerdeSettings serdeSettings;
    private final Map<String, TopicReader<InitiatePayment>> readers = new ConcurrentHashMap<>();
    private final DeadLetterPublisher deadLetters;
    private final PaymentIntake intake;
    private final RecordTracing tracing;
    private final CommandTraceContexts commandTraces;

    public PaymentCommandListener(SerdeSettings serdeSettings, DeadLetterPublisher deadLetters, PaymentIntake intake,
                                  RecordTracing tracing, CommandTraceContexts commandTraces) {
        this.serdeSettings = serdeSettings;
        this.deadLetters = deadLetters;
        this.intake = intake;
        this.tracing = tracing;
        this.commandTraces = commandTraces;
    }

    /**
     * A poll of commands, submitted as one batch: one transaction records every payment it accepts. Refused
     * commands are dead-lettered once it committed. If any command's key is in flight elsewhere, the whole poll
     * is retried later, its dead letters held back until then: what it accepted is replayed, not accepted twice.
     */
    public void onBatch(List<ConsumerRecord<byte[], byte[]>> records) {
        // Each command's span continues its producer's trace, and so does the payment it becomes.
        try (TracedBatch traced = tracing.batch("accept payment command", records)) {
            submit(records, traced);
        } finally {
            commandTraces.clear();
        }
    }

    private void submit(List<ConsumerRecord<byte[], byte[]>> records, TracedBatch traced) {
        List<ConsumerRecord<byte[], byte[]>> submitted = new ArrayList<>(records.size());
        List<PaymentRequest> requests = new ArrayList<>(records.size());
        DeadLetterBatch poison = new DeadLetterBatch(deadLetters);
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            String traceId = traceIdOf(record);
            try (MDC.MDCCloseable ignored = MDC.putCloseable(RecordLogContext.TRACE_ID, traceId)) {
                PaymentRequest request = request(record, traceId);
                requests.add(request);
                submitted.add(record);
                commandTraces.put(request.clientId(), request.idempotencyKey(), traced.contextOf(i));
            } catch (PoisonRecordException e) {
                poison.add(record, e);
            }
        }
        List<PaymentIntake.Answer> answers;
        try {
            answers = intake.submitAll(requests);
        } catch (AccountDirectoryUnavailableException e) {
            throw new RetryLaterException("accounts cannot be checked right now", e);
        }
        PaymentRefusedException inFlight = null;
        for (int i = 0; i < answers.size(); i++) {
            PaymentIntake.Answer answer = answers.get(i);
            ConsumerRecord<byte[], byte[]> record = submitted.get(i);
            PaymentRequest request = requests.get(i);
            if (answer.accepted()) {
                logAnswer(request, answer.outcome());
            } else if (answer.refusal().refusal() == PaymentRefusal.REQUEST_IN_FLIGHT) {
                inFlight = answer.refusal();
            } else {
                poison.add(record, new PoisonRecordException(answer.refusal().refusal() + ": "
                        + answer.refusal().getMessage(), answer.refusal()));
            }
        }
        if (inFlight != null) {
            throw new RetryLaterException("a command of this poll is in flight elsewhere (the same command ID, "
                    + "being submitted right now); the poll is retried", inFlight);
        }
        poison.publish();
    }

    /** The record's command as a request of the producer whose topic it is on. */
    private PaymentRequest request(ConsumerRecord<byte[], byte[]> record, String traceId) {
        String producer = Topics.producerOf(record.topic()).orElseThrow(() -> new PoisonRecordException(
                record.topic() + " is no producer's payment command topic (payments.commands.<producer>)"));
        InitiatePayment command = readers.computeIfAbsent(producer,
                name -> new TopicReader<>(Topics.paymentCommands(name), serdeSettings)).value(record);
        return toRequest(command, traceId, Submitter.producer(producer));
    }

    private static void logAnswer(PaymentRequest request, PaymentIntake.Outcome outcome) {
        try (MDC.MDCCloseable traceId = MDC.putCloseable(RecordLogContext.TRACE_ID, request.traceId());
             MDC.MDCCloseable paymentId = MDC.putCloseable(RecordLogContext.PAYMENT_ID,
                     outcome.payment().paymentId().toString())) {
            log.info("Command {} {}", request.idempotencyKey(), outcome.replayed() ? "replayed" : "accepted");
        }
    }

    /** The command as a request; the intake checks the shape of every field, as it does for HTTP. */
    private static PaymentRequest toRequest(InitiatePayment command, String traceId, Submitter producer) {
        return new PaymentRequest(command.getCommandId(), command.getSourceAccountId(),
                command.getDestinationAccountId(), command.getAmountMinor(), command.getCurrency(),
                command.getReference(), Channel.KAFKA, traceId, producer);
    }

    /**
     * The producer's trace ID, or a new one: the command is the edge of the trace. A trace-id header
     * that breaks the rule HTTP applies to X-Trace-Id (TraceIdFilter) is replaced, as HTTP replaces it:
     * it only labels logs and events, so it is no reason to refuse a payment, and carried along it
     * would bloat every event and break the outbox (PostgreSQL refuses NUL in jsonb).
     */
    private static String traceIdOf(ConsumerRecord<byte[], byte[]> record) {
        String given = RecordLogContext.header(record.headers(), TraceHeaders.TRACE_ID);
        if (TraceIds.isValid(given)) {
            return given;
        }
        if (given != null) {
            log.warn("Ignored an invalid trace-id header ({} characters) on {}-{}@{}; expected {}", given.length(),
                    record.topic(), record.partition(), record.offset(), TraceIds.RULE);
        }
        return TraceIds.newTraceId();
    }
}
