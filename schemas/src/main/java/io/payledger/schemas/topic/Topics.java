package io.payledger.schemas.topic;

import io.payledger.commands.InitiatePayment;
import io.payledger.events.AccountState;
import io.payledger.events.EntryPosted;
import io.payledger.events.FraudDecision;
import io.payledger.events.PaymentInitiated;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every topic of the platform, in one place. See the topic table in docs/SPEC.md.
 *
 * <p>Payment commands are a family of topics, one per producer: {@code payments.commands.<producer>},
 * where {@code <producer>} is the producer's Kafka principal name. Kafka does not stamp a record with
 * the principal that wrote it, so the broker attests it through the topic: only {@code User:<producer>}
 * may write its topic (ACLs), and payment-service takes the topic's producer as the command's owner.
 */
public final class Topics {

    /** What every payment command topic's name starts with; the producer's name follows. */
    public static final String PAYMENT_COMMANDS_PREFIX = "payments.commands.";

    /** What a topic's dead-letter topic adds to its name ({@link Topic#deadLetterTopic()}). */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    /** The longest producer name. */
    public static final int MAX_PRODUCER_NAME_LENGTH = 100;

    /**
     * Names no producer may have, compared ignoring case: {@code payments.commands.dlt} was the dead-letter
     * topic of the single command topic before there was one per producer, and the others are what a
     * retry or dead-letter topic of the family would be called.
     */
    public static final Set<String> RESERVED_PRODUCER_NAMES = Set.of("dlt", "dlq", "retry", "redrive");

    public static final String PRODUCER_NAME_RULE = "1-" + MAX_PRODUCER_NAME_LENGTH
            + " ASCII letters, digits, '-' or '_', not one of " + new TreeSet<>(RESERVED_PRODUCER_NAMES)
            + " and not ending in '_dlt' (Kafka treats '.' and '_' in topic names alike, so "
            + "payments.commands.x_dlt would collide with payments.commands.x.dlt)";

    private static final String PRODUCER_NAME = "(?!(?i:" + String.join("|", new TreeSet<>(RESERVED_PRODUCER_NAMES))
            + ")$)(?!.*(?i:_dlt)$)[A-Za-z0-9_-]{1," + MAX_PRODUCER_NAME_LENGTH + "}";

    /**
     * Every payment command topic and nothing else: a whole topic name that is the prefix and a producer
     * name. A producer name has no '.', so nothing below a producer's topic ({@code <topic>.dlt}, a retry
     * topic) ever matches. (java.util.regex, as Kafka's classic consumer protocol takes it.)
     */
    public static final Pattern PAYMENT_COMMANDS_SUBSCRIPTION =
            Pattern.compile(Pattern.quote(PAYMENT_COMMANDS_PREFIX) + "(?<producer>" + PRODUCER_NAME + ")");

    private static final Pattern PRODUCER = Pattern.compile(PRODUCER_NAME);

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

    /**
     * The ledger's accounts: one {@link AccountState} per change of an account's state, keyed by account ID.
     * Compacted, so the latest state of every account stays for as long as the topic does.
     */
    public static final Topic<String, AccountState> LEDGER_ACCOUNTS =
            Topic.keyedByString("ledger.accounts", AccountState.class).compacted();

    private static final List<Topic<String, ?>> ALL =
            List.of(PAYMENTS_INITIATED, FRAUD_DECISIONS, LEDGER_TRANSACTIONS, LEDGER_ENTRIES, LEDGER_ACCOUNTS);

    private Topics() {
    }

    /**
     * One producer's command intake, keyed by source account; {@code commandId} is the idempotency key.
     *
     * @throws IllegalArgumentException if {@code producer} is not a {@linkplain #isProducerName producer name}
     */
    public static Topic<String, InitiatePayment> paymentCommands(String producer) {
        if (!isProducerName(producer)) {
            throw new IllegalArgumentException("a producer name is " + PRODUCER_NAME_RULE + ", got "
                    + (producer == null ? "null" : "'" + producer + "'"));
        }
        return Topic.keyedByString(PAYMENT_COMMANDS_PREFIX + producer, InitiatePayment.class);
    }

    /** Whether a Kafka principal name can have a payment command topic of its own. */
    public static boolean isProducerName(String name) {
        return name != null && PRODUCER.matcher(name).matches();
    }

    /** The producer whose payment command topic this is; empty for any other topic, its dead-letter topic included. */
    public static Optional<String> producerOf(String topicName) {
        if (topicName == null) {
            return Optional.empty();
        }
        Matcher matcher = PAYMENT_COMMANDS_SUBSCRIPTION.matcher(topicName);
        return matcher.matches() ? Optional.of(matcher.group("producer")) : Optional.empty();
    }

    /**
     * The topics of fixed name, which every service creates at start-up. The payment command topics are
     * not among them: each is created when its producer is onboarded.
     */
    public static List<Topic<String, ?>> all() {
        return ALL;
    }

    /** Every record type any topic of the platform carries, payment commands included. */
    public static Stream<Class<? extends SpecificRecord>> valueRecordTypes() {
        return Stream.concat(Stream.of(InitiatePayment.class),
                ALL.stream().flatMap(topic -> topic.valueRecordTypes().stream())).distinct();
    }

    /** The topic with this name, if it is one of ours: one of {@link #all()} or a producer's payment commands. */
    public static Optional<Topic<String, ?>> byName(String name) {
        Optional<Topic<String, ?>> fixed = ALL.stream().filter(t -> t.name().equals(name)).findFirst();
        return fixed.isPresent() ? fixed : producerOf(name).map(Topics::paymentCommands);
    }

    /** Whether this is the dead-letter topic of a producer's payment command topic. */
    public static boolean isPaymentCommandsDeadLetterTopic(String name) {
        return name != null && name.endsWith(DEAD_LETTER_SUFFIX)
                && producerOf(name.substring(0, name.length() - DEAD_LETTER_SUFFIX.length())).isPresent();
    }
}
