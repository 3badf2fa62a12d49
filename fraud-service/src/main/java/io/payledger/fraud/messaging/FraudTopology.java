package io.payledger.fraud.messaging;

import io.payledger.events.FraudDecision;
import io.payledger.events.PaymentInitiated;
import io.payledger.fraud.domain.FraudRules;
import io.payledger.platform.messaging.RedriveTargets;
import io.payledger.platform.tracing.RecordTracing;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * {@code payments.initiated} → fraud checks → {@code payments.fraud-decisions}, keyed by source
 * account throughout so per-account order holds and no repartitioning is needed.
 */
public final class FraudTopology {

    static final String ACTIVITY_STORE = "account-activity";
    static final String DECISION_STORE = "payment-decisions";

    /** Each decision is stored at one instant (the payment's record timestamp); the size only has to be positive. */
    private static final Duration DECISION_WINDOW_SIZE = Duration.ofMillis(1);

    private FraudTopology() {
    }

    /**
     * @param decisionRetention how long a payment's decision is remembered, in stream time (record timestamps)
     * @param redriveTargets this application's consumer group: payments redriven for another group are skipped
     */
    public static Topology build(FraudRules rules, SerdeSettings serdeSettings, Duration decisionRetention,
                                 RedriveTargets redriveTargets) {
        return build(rules, serdeSettings, decisionRetention, redriveTargets, RecordTracing.OFF);
    }

    /** As above, each payment checked in a span that continues its trace, and the decision continuing that span. */
    public static Topology build(FraudRules rules, SerdeSettings serdeSettings, Duration decisionRetention,
                                 RedriveTargets redriveTargets, RecordTracing tracing) {
        Serde<PaymentInitiated> initiatedValues = Topics.PAYMENTS_INITIATED.valueSerde(serdeSettings);
        // A payment redriven for another group is read as null without being decoded, so it is neither
        // decided nor dead-lettered here; the processor ignores null values.
        Serde<PaymentInitiated> initiated = Serdes.serdeFrom(initiatedValues.serializer(),
                redriveTargets.skippingDeserializer(initiatedValues.deserializer()));
        Serde<FraudDecision> decisions = Topics.FRAUD_DECISIONS.valueSerde(serdeSettings);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACTIVITY_STORE),
                Topics.PAYMENTS_INITIATED.keySerde(), AccountActivitySerde.serde()));
        // Decisions by payment ID in a window store rather than a key-value store with a punctuator purge:
        // Streams expires it by itself in stream time (record timestamps, which a replay keeps), dropping
        // whole segments locally and giving its changelog compact+delete with the retention plus a day, so
        // nothing scans the store or writes a tombstone per payment. Values use single-object encoding
        // whatever the wire format, so reading the store never depends on the schema registry.
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(DECISION_STORE, decisionRetention, DECISION_WINDOW_SIZE, false),
                Serdes.String(), Topics.FRAUD_DECISIONS.valueSerde(SerdeSettings.singleObjectEncoding())));
        builder.stream(Topics.PAYMENTS_INITIATED.name(), Consumed.with(Topics.PAYMENTS_INITIATED.keySerde(), initiated))
                .processValues(() -> new FraudCheckProcessor(rules, ACTIVITY_STORE, DECISION_STORE, tracing),
                        ACTIVITY_STORE, DECISION_STORE)
                .to(Topics.FRAUD_DECISIONS.name(), Produced.with(Topics.FRAUD_DECISIONS.keySerde(), decisions));
        return builder.build();
    }
}
