package io.payledger.schemas.topic;

import io.payledger.commands.InitiatePayment;
import io.payledger.events.EntryPosted;
import io.payledger.events.FraudDecision;
import io.payledger.events.PaymentInitiated;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** Every topic of the platform, in one place. See the topic table in docs/SPEC.md. */
public final class Topics {

    /** Producers' command intake, keyed by source account; commandId is the idempotency key. */
    public static final Topic<String, InitiatePayment> PAYMENT_COMMANDS =
            Topic.keyedByString("payments.commands", InitiatePayment.class);

    /** One event per accepted payment, keyed by source account. */
    public static final Topic<String, PaymentInitiated> PAYMENTS_INITIATED =
            Topic.keyedByString("payments.initiated", PaymentInitiated.class);

    /** fraud-service's verdicts, keyed by source account. */
    public static final Topic<String, FraudDecision> FRAUD_DECISIONS =
            Topic.keyedByString("payments.fraud-decisions", FraudDecision.class);

    /** One outcome per payment, {@link TransactionPosted} or {@link TransactionDeclined}, keyed by source account. */
    public static final Topic<String, SpecificRecord> LEDGER_TRANSACTIONS =
            Topic.keyedByStringCarrying("ledger.transactions", TransactionPosted.class, TransactionDeclined.class);

    /** One event per posting leg, keyed by the entry's account. */
    public static final Topic<String, EntryPosted> LEDGER_ENTRIES =
            Topic.keyedByString("ledger.entries", EntryPosted.class);

    private static final List<Topic<String, ?>> ALL =
            List.of(PAYMENT_COMMANDS, PAYMENTS_INITIATED, FRAUD_DECISIONS, LEDGER_TRANSACTIONS, LEDGER_ENTRIES);

    private Topics() {
    }

    public static List<Topic<String, ?>> all() {
        return ALL;
    }

    /** The topic with this name, if it is one of ours. */
    public static java.util.Optional<Topic<String, ?>> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
