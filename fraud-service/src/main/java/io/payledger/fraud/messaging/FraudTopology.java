package io.payledger.fraud.messaging;

import io.payledger.events.FraudDecision;
import io.payledger.events.PaymentInitiated;
import io.payledger.fraud.domain.FraudRules;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import org.apache.kafka.common.serialization.Serde;
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

    private FraudTopology() {
    }

    public static Topology build(FraudRules rules, SerdeSettings serdeSettings) {
        Serde<PaymentInitiated> initiated = Topics.PAYMENTS_INITIATED.valueSerde(serdeSettings);
        Serde<FraudDecision> decisions = Topics.FRAUD_DECISIONS.valueSerde(serdeSettings);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACTIVITY_STORE),
                Topics.PAYMENTS_INITIATED.keySerde(), AccountActivitySerde.serde()));
        builder.stream(Topics.PAYMENTS_INITIATED.name(), Consumed.with(Topics.PAYMENTS_INITIATED.keySerde(), initiated))
                .processValues(() -> new FraudCheckProcessor(rules, ACTIVITY_STORE), ACTIVITY_STORE)
                .to(Topics.FRAUD_DECISIONS.name(), Produced.with(Topics.FRAUD_DECISIONS.keySerde(), decisions));
        return builder.build();
    }
}
