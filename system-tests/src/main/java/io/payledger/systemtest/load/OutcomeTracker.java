package io.payledger.systemtest.load;

import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topic;
import io.payledger.schemas.topic.TopicEnd;
import io.payledger.schemas.topic.Topics;
import io.payledger.systemtest.SystemStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a load run's payments from the outside, as they happen: reads {@code payments.initiated} (the run's token in
 * a payment's reference gives its payment ID, which a Kafka command's sender never sees),
 * {@code payments.fraud-decisions} (REJECTED is final) and {@code ledger.transactions} (POSTED, DECLINED) with one
 * read_committed consumer outside any consumer group, from the topics' ends when it is created. Every payment's final
 * outcomes are counted, the run's and any other's (the funding's), so a second one is seen as a duplicate.
 */
final class OutcomeTracker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutcomeTracker.class);

    static final int NONE = 0;
    static final int POSTED = 1;
    static final int DECLINED = 2;
    static final int REJECTED = 3;
    static final List<String> KINDS = List.of("NONE", "POSTED", "DECLINED", "REJECTED");

    /** Told of each payment of the run that reaches its (first) final outcome, on the tracker's thread. */
    interface Listener {
        void finalOutcome(int seq, int kind, long outcomeEpochMillis, Stages stages);
    }

    /**
     * When a payment passed the stages before its outcome, epoch milliseconds, 0 where not seen: when
     * payment-service accepted it (the event's {@code occurredAt}), its
     * {@code payments.initiated} record's timestamp (stamped by payment-service's relay as it sent it), when this
     * read_committed reader first saw that record (the relay's transaction committed), and when it first saw the
     * payment's fraud decision (fraud-service's transaction committed).
     */
    record Stages(long accepted, long initiatedStamped, long initiatedSeen, long decisionSeen) {

        static final Stages NONE = new Stages(0, 0, 0, 0);

        boolean complete() {
            return accepted > 0 && initiatedStamped > 0 && initiatedSeen > 0 && decisionSeen > 0;
        }
    }

    /** A payment's first final outcome, the stages seen before it, and how many final outcomes it had in all. */
    private static final class FinalOutcome {
        final int kind;
        final long epochMillis;
        final Stages stages;
        int count = 1;

        FinalOutcome(int kind, long epochMillis, Stages stages) {
            this.kind = kind;
            this.epochMillis = epochMillis;
            this.stages = stages;
        }
    }

    private final String tokenPrefix;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<PaymentInitiated> initiatedDeserializer;
    private final Deserializer<FraudDecision> decisionDeserializer;
    private final Deserializer<org.apache.avro.specific.SpecificRecord> transactionDeserializer;
    private final AtomicReferenceArray<String> paymentIdBySeq;
    private final AtomicIntegerArray finalKindBySeq;
    private final Map<String, Integer> seqByPaymentId = new ConcurrentHashMap<>();
    private final Map<String, FinalOutcome> outcomes = new ConcurrentHashMap<>();
    /**
     * By payment ID, until its outcome: accepted, initiated stamped, initiated seen, decision seen. Any payment's,
     * the run's or not: its outcome takes the entry, so the map holds only payments still under way.
     */
    private final Map<String, long[]> stages = new ConcurrentHashMap<>();
    private final AtomicLong initiated = new AtomicLong();
    private final AtomicLong paymentsForOneToken = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final Thread thread;
    private volatile Listener listener;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    /**
     * @param tokenPrefix what the run's references start with; the payment's sequence number follows
     * @param capacity    how many payments the run makes at most
     */
    OutcomeTracker(SystemStack stack, String tokenPrefix, int capacity) {
        this.tokenPrefix = tokenPrefix;
        this.paymentIdBySeq = new AtomicReferenceArray<>(capacity);
        this.finalKindBySeq = new AtomicIntegerArray(capacity);
        SerdeSettings serdes = SerdeSettings.fromRegistryUrl(System.getenv("SCHEMA_REGISTRY_URL"));
        this.initiatedDeserializer = Topics.PAYMENTS_INITIATED.valueSerde(serdes).deserializer();
        this.decisionDeserializer = Topics.FRAUD_DECISIONS.valueSerde(serdes).deserializer();
        this.transactionDeserializer = Topics.LEDGER_TRANSACTIONS.valueSerde(serdes).deserializer();
        Map<String, Object> config = new HashMap<>(stack.kafkaClientSettings());
        config.putAll(TopicEnd.readCommittedConsumerConfig(stack.kafkaBootstrapServers()));
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "load-outcomes-" + tokenPrefix.replaceAll("[^A-Za-z0-9-]", "-"));
        this.consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<String, ?> topic : List.of(Topics.PAYMENTS_INITIATED, Topics.FRAUD_DECISIONS,
                Topics.LEDGER_TRANSACTIONS)) {
            partitions.addAll(TopicEnd.partitions(consumer, topic.name(), Duration.ofSeconds(60)));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // The ends now, not whenever the first poll would look them up: nothing sent from here on is missed.
        partitions.forEach(partition -> consumer.position(partition, Duration.ofSeconds(60)));
        thread = new Thread(this::run, "load-outcomes");
        thread.setDaemon(true);
        thread.start();
    }

    void listener(Listener listener) {
        this.listener = listener;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    records.incrementAndGet();
                    try {
                        handle(record);
                    } catch (RuntimeException e) {
                        log.warn("Could not read {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                                e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
            log.error("The outcome tracker stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        String topic = record.topic();
        long seen = System.currentTimeMillis();
        if (topic.equals(Topics.PAYMENTS_INITIATED.name())) {
            PaymentInitiated payment = initiatedDeserializer.deserialize(topic, record.value());
            stage(payment.getPaymentId(), 0, payment.getOccurredAt().toEpochMilli());
            stage(payment.getPaymentId(), 1, record.timestamp());
            stage(payment.getPaymentId(), 2, seen);
            initiated(payment.getPaymentId(), payment.getReference());
        } else if (topic.equals(Topics.FRAUD_DECISIONS.name())) {
            FraudDecision decision = decisionDeserializer.deserialize(topic, record.value());
            stage(decision.getPaymentId(), 3, seen);
            if (decision.getVerdict() == FraudVerdict.REJECTED) {
                // The decision carries the payment as initiated: its reference names it even if payments.initiated
                // has not been read that far yet.
                initiated(decision.getPaymentId(), decision.getPayment().getReference());
                finalOutcome(decision.getPaymentId(), REJECTED, record.timestamp());
            }
        } else if (topic.equals(Topics.LEDGER_TRANSACTIONS.name())) {
            Object outcome = transactionDeserializer.deserialize(topic, record.value());
            if (outcome instanceof TransactionPosted posted) {
                finalOutcome(posted.getPaymentId(), POSTED, record.timestamp());
            } else if (outcome instanceof TransactionDeclined declined) {
                finalOutcome(declined.getPaymentId(), DECLINED, record.timestamp());
            }
        }
    }

    /** The first time a payment reached a stage (its index in {@link Stages}), of the payments still awaited. */
    private void stage(String paymentId, int index, long epochMillis) {
        if (outcomes.containsKey(paymentId)) {
            return;
        }
        long[] times = stages.computeIfAbsent(paymentId, id -> new long[4]);
        if (times[index] == 0) {
            times[index] = epochMillis;
        }
    }

    /** A payment with this reference exists: if the reference is one of the run's, the payment is its seq's. */
    private void initiated(String paymentId, CharSequence reference) {
        if (reference == null || seqByPaymentId.containsKey(paymentId)) {
            return;
        }
        String text = reference.toString();
        if (!text.startsWith(tokenPrefix)) {
            return;
        }
        int seq;
        try {
            seq = Integer.parseInt(text.substring(tokenPrefix.length()));
        } catch (NumberFormatException e) {
            return;
        }
        if (seq < 0 || seq >= paymentIdBySeq.length()) {
            return;
        }
        seqByPaymentId.put(paymentId, seq);
        if (!paymentIdBySeq.compareAndSet(seq, null, paymentId)) {
            paymentsForOneToken.incrementAndGet(); // one submission made two payments
            log.warn("Payment {} has the reference {} of payment {}", paymentId, text, paymentIdBySeq.get(seq));
            return;
        }
        initiated.incrementAndGet();
        FinalOutcome outcome = outcomes.get(paymentId);
        if (outcome != null) {
            complete(seq, outcome);
        }
    }

    private void finalOutcome(String paymentId, int kind, long epochMillis) {
        FinalOutcome earlier = outcomes.get(paymentId);
        if (earlier != null) {
            earlier.count++;
            return;
        }
        long[] times = stages.remove(paymentId);
        FinalOutcome outcome = new FinalOutcome(kind, epochMillis,
                times == null ? Stages.NONE : new Stages(times[0], times[1], times[2], times[3]));
        outcomes.put(paymentId, outcome);
        Integer seq = seqByPaymentId.get(paymentId);
        if (seq != null && paymentId.equals(paymentIdBySeq.get(seq))) {
            complete(seq, outcome);
        }
    }

    private void complete(int seq, FinalOutcome outcome) {
        if (finalKindBySeq.compareAndSet(seq, NONE, outcome.kind)) {
            Listener current = listener;
            if (current != null) {
                current.finalOutcome(seq, outcome.kind, outcome.epochMillis, outcome.stages);
            }
        }
    }

    /** The run's payment {@code seq}'s final outcome so far: {@link #NONE}, {@link #POSTED}, ... */
    int finalKind(int seq) {
        return finalKindBySeq.get(seq);
    }

    /** Whether payment-service made a payment of the run's payment {@code seq}. */
    boolean initiated(int seq) {
        return paymentIdBySeq.get(seq) != null;
    }

    long initiatedCount() {
        return initiated.get();
    }

    /** Submissions of the run that payment-service made more than one payment of. */
    long paymentsForOneToken() {
        return paymentsForOneToken.get();
    }

    /** Final outcomes beyond the first, over the run's payments. */
    long duplicates() {
        long duplicates = 0;
        for (String paymentId : seqByPaymentId.keySet()) {
            FinalOutcome outcome = outcomes.get(paymentId);
            if (outcome != null) {
                duplicates += outcome.count - 1;
            }
        }
        return duplicates;
    }

    /** How many records the tracker has read. */
    long records() {
        return records.get();
    }

    void checkRunning() {
        if (failure != null) {
            throw new IllegalStateException("the outcome tracker stopped", failure);
        }
    }

    /**
     * Waits until each of these payments (not the run's: the funding) has a final outcome; returns each one's
     * ({@link #KINDS}), or throws naming the ones still without.
     */
    Map<String, String> awaitFinal(Collection<String> paymentIds, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            checkRunning();
            List<String> missing = paymentIds.stream().filter(id -> !outcomes.containsKey(id)).toList();
            if (missing.isEmpty()) {
                Map<String, String> kinds = new HashMap<>();
                paymentIds.forEach(id -> kinds.put(id, KINDS.get(outcomes.get(id).kind)));
                return kinds;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(missing.size() + " of " + paymentIds.size() + " payments have no "
                        + "final outcome after " + timeout + ", e.g. " + missing.get(0));
            }
            sleep(200);
        }
    }

    static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
