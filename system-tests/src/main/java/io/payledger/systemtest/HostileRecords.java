package io.payledger.systemtest;

import io.payledger.commands.InitiatePayment;
import io.payledger.events.AccountState;
import io.payledger.events.FraudDecision;
import io.payledger.events.FraudVerdict;
import io.payledger.events.PaymentInitiated;
import io.payledger.events.Posting;
import io.payledger.events.TransactionDeclined;
import io.payledger.events.TransactionPosted;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topic;
import io.payledger.schemas.topic.Topics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A catalogue of hostile records for every topic a service consumes, each with what the contract (docs/SPEC.md,
 * "Payment rules, at every boundary"; README, Topics) says must become of it: dead-lettered on {@code <topic>.dlt}
 * by each consumer group that reads the topic and cannot process it (one copy per group), declined by the ledger
 * with a reason, rejected by fraud-service with a reason, or ignored (a well-formed record about a payment the
 * consumer does not know).
 *
 * <p>Every record carries the header {@value #CASE_HEADER} naming its case ({@code <run>:<case>}); dead letters keep
 * the original headers, and fraud-service's decisions carry the headers of the payment they decide on, so each
 * dead letter and decision is traced to its case. What the ledger publishes does not carry them; its outcomes are
 * found by the case's payment ID. Writing to the platform's own topics needs a client the broker lets write them
 * ({@link SystemStack#kafkaClientSettings()}).
 */
public final class HostileRecords {

    /** The header every hostile record carries: {@code <run>:<case>}. */
    public static final String CASE_HEADER = "hostile-case";

    /** The consumer groups, as each service's messaging configuration names them (and its DLT copies say). */
    public static final class Groups {
        public static final String PAYMENT_COMMANDS = "payment-service";
        public static final String PAYMENT_OUTCOMES = "payment-service.outcomes";
        public static final String PAYMENT_ACCOUNTS = "payment-service.accounts";
        public static final String FRAUD = "fraud-service";
        public static final String LEDGER = "ledger-service";
        public static final String NOTIFICATION = "notification-service";
        public static final String NOTIFICATION_ACCOUNTS = "notification-service.accounts";

        private Groups() {
        }
    }

    /** What must become of a hostile record. */
    public sealed interface Expected permits DeadLettered, Declined, Rejected, PaymentFinal {
    }

    /** A copy on {@code deadLetterTopic} written by {@code consumerGroup}, with the reason in its headers. */
    public record DeadLettered(String deadLetterTopic, String consumerGroup) implements Expected {
    }

    /** The ledger's TransactionDeclined for the case's payment ID, with this reason. */
    public record Declined(String reason) implements Expected {
    }

    /** fraud-service's REJECTED decision on the case's payment, with this reason among its reasons. */
    public record Rejected(String reason) implements Expected {
    }

    /** A payment made from the command (found by its commandId), final with this status. */
    public record PaymentFinal(String commandId, String status) implements Expected {
    }

    /**
     * One hostile record: where it goes, its key and value, the payment ID it is about (if any) and what must become
     * of it. No dead letter is expected from any group that {@code expected} does not name.
     */
    public record Hostile(String caseId, String description, String topic, String key, byte[] value,
                          String paymentId, List<Expected> expected) {

        public List<DeadLettered> deadLetters() {
            return expected.stream().filter(DeadLettered.class::isInstance).map(DeadLettered.class::cast).toList();
        }

        @Override
        public String toString() {
            return caseId + " (" + description + ") on " + topic;
        }
    }

    /**
     * The accounts the catalogue names: {@code customer} and {@code otherCustomer} are funded customer accounts of
     * the wallet, {@code empty} an unfunded customer account of the wallet, {@code system} a SYSTEM account.
     */
    public record Accounts(String customer, String otherCustomer, String empty, String system, String currency,
                           String producer) {
    }

    private static final String TEN_KB = "x".repeat(10_240);

    private final String run;
    private final Accounts accounts;
    private final SerdeSettings serdeSettings;
    private final Random random = new Random();
    private final List<Hostile> catalogue = new ArrayList<>();

    public HostileRecords(String run, Accounts accounts) {
        this.run = run;
        this.accounts = accounts;
        this.serdeSettings = SerdeSettings.fromRegistryUrl(System.getenv("SCHEMA_REGISTRY_URL"));
    }

    /**
     * The whole catalogue, for every consumed topic: the topic's wallet command topic, payments.initiated,
     * payments.fraud-decisions, ledger.transactions and ledger.accounts.
     *
     * @param maxMessageBytes each topic's {@code max.message.bytes}, for the record just under it
     */
    public List<Hostile> catalogue(Map<String, Integer> maxMessageBytes) {
        catalogue.clear();
        Topic<String, InitiatePayment> commands = Topics.paymentCommands(accounts.producer());
        undecodable(commands, maxMessageBytes, List.of(Groups.PAYMENT_COMMANDS), sampleCommand());
        undecodable(Topics.PAYMENTS_INITIATED, maxMessageBytes, List.of(Groups.FRAUD, Groups.NOTIFICATION),
                initiated(uuid(), accounts.customer(), accounts.otherCustomer(), 100, accounts.currency()));
        undecodable(Topics.FRAUD_DECISIONS, maxMessageBytes,
                List.of(Groups.LEDGER, Groups.PAYMENT_OUTCOMES, Groups.NOTIFICATION),
                approved(initiated(uuid(), accounts.empty(), accounts.customer(), 100, accounts.currency())));
        undecodable(Topics.LEDGER_TRANSACTIONS, maxMessageBytes, List.of(Groups.PAYMENT_OUTCOMES, Groups.NOTIFICATION),
                posted(uuid(), accounts.customer(), accounts.otherCustomer(), 100, accounts.currency()));
        undecodable(Topics.LEDGER_ACCOUNTS, maxMessageBytes,
                List.of(Groups.PAYMENT_ACCOUNTS, Groups.NOTIFICATION_ACCOUNTS),
                accountState(id("undecodable-account"), accounts.currency(), accounts.producer()));
        commands(commands);
        initiated();
        decisions();
        transactions();
        accountStates();
        return List.copyOf(catalogue);
    }

    // --- on every topic: what does not decode, and what barely fits ---------------------------------------------

    private void undecodable(Topic<String, ?> topic, Map<String, Integer> maxMessageBytes, List<String> groups,
                             SpecificRecord sample) {
        String prefix = shortName(topic);
        List<Expected> deadLettered = groups.stream()
                .<Expected>map(group -> new DeadLettered(topic.deadLetterTopic(), group)).toList();
        byte[] garbage = new byte[64];
        random.nextBytes(garbage);
        garbage[0] = (byte) 0xC3; // looks like single-object encoding at first glance
        add(prefix + "-garbage", "64 random bytes", topic, null, garbage, null, deadLettered);
        add(prefix + "-unknown-fingerprint", "valid Avro with a schema fingerprint nobody published", topic, null,
                unknownFingerprint(sample), null, deadLettered);
        int max = maxMessageBytes.getOrDefault(topic.name(), 1_048_588);
        byte[] big = new byte[max - 1_024];
        random.nextBytes(big);
        add(prefix + "-oversize", big.length + " random bytes, 1 KB under max.message.bytes " + max, topic, null, big,
                null, deadLettered);
        // As large as the topic takes: the record batch that carries it (61 bytes), its key, header and lengths
        // (about 120 bytes) fill the rest. Its dead-letter copy adds seven headers (about 700 bytes) to it.
        byte[] atLimit = new byte[max - 256];
        random.nextBytes(atLimit);
        add(prefix + "-at-limit", atLimit.length + " random bytes, 256 under max.message.bytes " + max, topic, null,
                atLimit, null, deadLettered);
    }

    /** The record in single-object encoding, its 8-byte schema fingerprint (after {@code C3 01}) inverted. */
    private static byte[] unknownFingerprint(SpecificRecord record) {
        Topic<String, ?> topic = Topics.all().stream().filter(t -> t.valueRecordTypes().contains(record.getClass()))
                .findFirst().orElseGet(() -> Topics.paymentCommands("any"));
        byte[] bytes = serialize(topic, SerdeSettings.singleObjectEncoding(), record);
        if (bytes[0] != (byte) 0xC3 || bytes[1] != 0x01) {
            throw new IllegalStateException("not single-object encoding");
        }
        ByteBuffer fingerprint = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        fingerprint.putLong(2, ~fingerprint.getLong(2));
        return bytes;
    }

    // --- payments.commands.<producer>: payment-service ---------------------------------------------------------

    private void commands(Topic<String, InitiatePayment> topic) {
        String customer = accounts.customer();
        String other = accounts.otherCustomer();
        String currency = accounts.currency();
        List<Expected> refused = List.of(new DeadLettered(topic.deadLetterTopic(), Groups.PAYMENT_COMMANDS));
        command(topic, "command-negative-amount", "amount -100", id("cmd-negative"), customer, other, -100, currency,
                null, refused);
        String huge = id("cmd-huge");
        // A well-formed command: accepted as a payment, which fraud-service rejects over its amount limit.
        command(topic, "command-max-amount", "amount Long.MAX_VALUE", huge, customer, other, Long.MAX_VALUE, currency,
                null, List.of(new PaymentFinal(huge, "REJECTED")));
        command(topic, "command-10kb-command-id", "10 kB commandId", id("cmd-") + TEN_KB, customer, other, 100,
                currency, null, refused);
        command(topic, "command-10kb-source", "10 kB source account ID", id("cmd-10kb-source"), "a" + TEN_KB, other,
                100, currency, null, refused);
        command(topic, "command-nul-reference", "NUL bytes in the reference", id("cmd-nul-ref"), customer, other, 100,
                currency, "rent\u0000\u0000", refused);
        command(topic, "command-nul-destination", "NUL byte in the destination account ID", id("cmd-nul-dest"),
                customer, other + "\u0000", 100, currency, null, refused);
        command(topic, "command-unknown-currency", "currency ZZZ", id("cmd-zzz"), customer, other, 100, "ZZZ", null,
                refused);
        command(topic, "command-same-account", "same source and destination", id("cmd-same"), customer, customer, 100,
                currency, null, refused);
        command(topic, "command-unknown-account", "source account that does not exist", id("cmd-nosuch"),
                id("nosuch"), other, 100, currency, null, refused);
        command(topic, "command-system-source", "out of a SYSTEM account (funding needs scope funding)",
                id("cmd-system"), accounts.system(), other, 100, currency, null, refused);
    }

    private void command(Topic<String, InitiatePayment> topic, String caseName, String description, String commandId,
                         String source, String destination, long amount, String currency, String reference,
                         List<Expected> expected) {
        InitiatePayment command = InitiatePayment.newBuilder().setCommandId(commandId).setSourceAccountId(source)
                .setDestinationAccountId(destination).setAmountMinor(amount).setCurrency(currency)
                .setReference(reference).setRequestedAt(Instant.now()).build();
        add(caseName, description, topic, source, serialize(topic, command), null, expected);
    }

    private InitiatePayment sampleCommand() {
        return InitiatePayment.newBuilder().setCommandId(id("sample")).setSourceAccountId(accounts.customer())
                .setDestinationAccountId(accounts.otherCustomer()).setAmountMinor(100).setCurrency(accounts.currency())
                .setRequestedAt(Instant.now()).build();
    }

    // --- payments.initiated: fraud-service, notification-service ------------------------------------------------

    private void initiated() {
        Topic<String, PaymentInitiated> topic = Topics.PAYMENTS_INITIATED;
        String customer = accounts.customer();
        String other = accounts.otherCustomer();
        String currency = accounts.currency();
        // A payment that breaks the rules: fraud-service rejects it INVALID_PAYMENT (so it reaches a final state),
        // notification-service dead-letters it, and both payment-service and notification-service the rejection of
        // it (no payment recorded there breaks the rules; no notification about an invalid payment).
        List<Expected> invalid = List.of(new Rejected("INVALID_PAYMENT"),
                new DeadLettered(topic.deadLetterTopic(), Groups.NOTIFICATION),
                new DeadLettered(Topics.FRAUD_DECISIONS.deadLetterTopic(), Groups.PAYMENT_OUTCOMES),
                new DeadLettered(Topics.FRAUD_DECISIONS.deadLetterTopic(), Groups.NOTIFICATION));
        initiated("initiated-negative-amount", "amount -100",
                initiated(uuid(), customer, other, -100, currency), invalid);
        initiated("initiated-nul-source", "NUL byte in the source account ID",
                initiated(uuid(), customer + "\u0000", other, 100, currency), invalid);
        initiated("initiated-unknown-currency", "currency ZZZ", initiated(uuid(), customer, other, 100, "ZZZ"), invalid);
        initiated("initiated-same-account", "same source and destination",
                initiated(uuid(), customer, customer, 100, currency), invalid);
        initiated("initiated-10kb-destination", "10 kB destination account ID",
                initiated(uuid(), customer, "d" + TEN_KB, 100, currency), invalid);
        // No usable payment ID: the rejection names none either, so payment-service dead-letters it as well.
        initiated("initiated-10kb-payment-id", "10 kB payment ID",
                initiated(id("pid-") + TEN_KB, customer, other, 100, currency),
                List.of(new Rejected("INVALID_PAYMENT"),
                        new DeadLettered(topic.deadLetterTopic(), Groups.NOTIFICATION),
                        new DeadLettered(Topics.FRAUD_DECISIONS.deadLetterTopic(), Groups.PAYMENT_OUTCOMES),
                        new DeadLettered(Topics.FRAUD_DECISIONS.deadLetterTopic(), Groups.NOTIFICATION)));
        // Well-formed, over the fraud limit: rejected with the reason; notified like any payment, nothing dead-lettered.
        initiated("initiated-max-amount", "amount Long.MAX_VALUE out of the empty account",
                initiated(uuid(), accounts.empty(), customer, Long.MAX_VALUE, currency),
                List.of(new Rejected("AMOUNT_OVER_LIMIT")));
    }

    private void initiated(String caseName, String description, PaymentInitiated payment, List<Expected> expected) {
        add(caseName, description, Topics.PAYMENTS_INITIATED, payment.getSourceAccountId(),
                serialize(Topics.PAYMENTS_INITIATED, payment), payment.getPaymentId(), expected);
    }

    private PaymentInitiated initiated(String paymentId, String source, String destination, long amount,
                                       String currency) {
        return PaymentInitiated.newBuilder().setEventId(id("evt-") + UUID.randomUUID()).setOccurredAt(Instant.now())
                .setPaymentId(paymentId).setSourceAccountId(source).setDestinationAccountId(destination)
                .setAmountMinor(amount).setCurrency(currency).setReference("hostile " + run)
                .setInitiatedBy(accounts.producer()).build();
    }

    // --- payments.fraud-decisions: ledger-service, payment-service, notification-service ------------------------

    private void decisions() {
        String customer = accounts.customer();
        String other = accounts.otherCustomer();
        String currency = accounts.currency();
        String ledgerTransactionsDlt = Topics.LEDGER_TRANSACTIONS.deadLetterTopic();
        // Approved payments nobody initiated: the ledger judges them like any other, declining them with a reason;
        // payment-service and notification-service take no action on an approval. A decline of a payment that
        // breaks the rules settles nothing and is not notified: both dead-letter it from ledger.transactions.
        decision("approved-nonexistent-payment", "APPROVED, for a payment nobody made, out of the empty account",
                approved(initiated(uuid(), accounts.empty(), customer, 100, currency)),
                List.of(new Declined("INSUFFICIENT_FUNDS")));
        decision("approved-unknown-account", "APPROVED, out of an account that does not exist",
                approved(initiated(uuid(), id("nosuch"), customer, 100, currency)),
                List.of(new Declined("UNKNOWN_ACCOUNT")));
        decision("approved-overflowing-amount", "APPROVED, Long.MAX_VALUE out of the SYSTEM account (overflows both "
                        + "balances)", approved(initiated(uuid(), accounts.system(), customer, Long.MAX_VALUE, currency)),
                List.of(new Declined("INVALID_AMOUNT")));
        decision("approved-negative-amount", "APPROVED, amount -100",
                approved(initiated(uuid(), customer, other, -100, currency)),
                List.of(new Declined("INVALID_AMOUNT"),
                        new DeadLettered(ledgerTransactionsDlt, Groups.PAYMENT_OUTCOMES),
                        new DeadLettered(ledgerTransactionsDlt, Groups.NOTIFICATION)));
        decision("approved-nul-destination", "APPROVED, NUL byte in the destination account ID",
                approved(initiated(uuid(), customer, other + "\u0000", 100, currency)),
                List.of(new Declined("INVALID_INSTRUCTION"),
                        new DeadLettered(ledgerTransactionsDlt, Groups.PAYMENT_OUTCOMES),
                        new DeadLettered(ledgerTransactionsDlt, Groups.NOTIFICATION)));
        decision("approved-10kb-source", "APPROVED, 10 kB source account ID",
                approved(initiated(uuid(), "s" + TEN_KB, other, 100, currency)),
                List.of(new Declined("INVALID_INSTRUCTION"),
                        new DeadLettered(ledgerTransactionsDlt, Groups.PAYMENT_OUTCOMES),
                        new DeadLettered(ledgerTransactionsDlt, Groups.NOTIFICATION)));
        decision("approved-unknown-currency", "APPROVED, currency ZZZ",
                approved(initiated(uuid(), customer, other, 100, "ZZZ")),
                List.of(new Declined("INVALID_INSTRUCTION"),
                        new DeadLettered(ledgerTransactionsDlt, Groups.PAYMENT_OUTCOMES),
                        new DeadLettered(ledgerTransactionsDlt, Groups.NOTIFICATION)));
        decision("approved-same-account", "APPROVED, same source and destination",
                approved(initiated(uuid(), customer, customer, 100, currency)),
                List.of(new Declined("SAME_ACCOUNT"),
                        new DeadLettered(ledgerTransactionsDlt, Groups.PAYMENT_OUTCOMES),
                        new DeadLettered(ledgerTransactionsDlt, Groups.NOTIFICATION)));
        // No payment ID to decline it by: every consumer dead-letters it (the others check a decision's payment ID
        // whatever its verdict, though they act on rejections only).
        decision("approved-10kb-payment-id", "APPROVED, 10 kB payment ID",
                approved(initiated(id("pid-") + TEN_KB, customer, other, 100, currency)),
                List.of(new DeadLettered(Topics.FRAUD_DECISIONS.deadLetterTopic(), Groups.LEDGER),
                        new DeadLettered(Topics.FRAUD_DECISIONS.deadLetterTopic(), Groups.PAYMENT_OUTCOMES),
                        new DeadLettered(Topics.FRAUD_DECISIONS.deadLetterTopic(), Groups.NOTIFICATION)));
        PaymentInitiated carried = initiated(uuid(), customer, other, 100, currency);
        decision("approved-about-another-payment", "APPROVED, its paymentId not the payment it carries",
                FraudDecision.newBuilder(approved(carried)).setPaymentId(uuid()).build(),
                List.of(new DeadLettered(Topics.FRAUD_DECISIONS.deadLetterTopic(), Groups.LEDGER)));
        decision("rejected-10kb-payment-id", "REJECTED, 10 kB payment ID",
                rejected(initiated(id("pid-") + TEN_KB, customer, other, 100, currency), List.of("VELOCITY_EXCEEDED")),
                List.of(new DeadLettered(Topics.FRAUD_DECISIONS.deadLetterTopic(), Groups.PAYMENT_OUTCOMES),
                        new DeadLettered(Topics.FRAUD_DECISIONS.deadLetterTopic(), Groups.NOTIFICATION)));
        decision("rejected-nul-reason", "REJECTED, a reason code with NUL bytes",
                rejected(initiated(uuid(), customer, other, 100, currency), List.of("AMOUNT\u0000OVER")),
                List.of(new DeadLettered(Topics.FRAUD_DECISIONS.deadLetterTopic(), Groups.PAYMENT_OUTCOMES),
                        new DeadLettered(Topics.FRAUD_DECISIONS.deadLetterTopic(), Groups.NOTIFICATION)));
    }

    private void decision(String caseName, String description, FraudDecision decision, List<Expected> expected) {
        add(caseName, description, Topics.FRAUD_DECISIONS, decision.getPayment().getSourceAccountId(),
                serialize(Topics.FRAUD_DECISIONS, decision), decision.getPaymentId(), expected);
    }

    private FraudDecision approved(PaymentInitiated payment) {
        return decision(payment, FraudVerdict.APPROVED, List.of());
    }

    private FraudDecision rejected(PaymentInitiated payment, List<String> reasons) {
        return decision(payment, FraudVerdict.REJECTED, reasons);
    }

    private FraudDecision decision(PaymentInitiated payment, FraudVerdict verdict, List<String> reasons) {
        return FraudDecision.newBuilder().setEventId(id("evt-") + UUID.randomUUID()).setOccurredAt(Instant.now())
                .setPaymentId(payment.getPaymentId()).setVerdict(verdict).setReasons(new ArrayList<>(reasons))
                .setPayment(payment).build();
    }

    // --- ledger.transactions: payment-service, notification-service --------------------------------------------

    private void transactions() {
        String customer = accounts.customer();
        String other = accounts.otherCustomer();
        String currency = accounts.currency();
        String dlt = Topics.LEDGER_TRANSACTIONS.deadLetterTopic();
        // Well-formed, about a payment nobody made: payment-service has no such payment and ignores it; nothing
        // moves (the ledger's books are not its events). notification-service tells the accounts, as for any posting.
        transaction("posted-unknown-payment", "TransactionPosted for a payment nobody made",
                posted(uuid(), customer, other, 100, currency), List.of());
        transaction("posted-10kb-payment-id", "TransactionPosted, 10 kB payment ID",
                posted(id("pid-") + TEN_KB, customer, other, 100, currency),
                List.of(new DeadLettered(dlt, Groups.PAYMENT_OUTCOMES), new DeadLettered(dlt, Groups.NOTIFICATION)));
        transaction("posted-negative-amount", "TransactionPosted, amount -100",
                posted(uuid(), customer, other, -100, currency),
                List.of(new DeadLettered(dlt, Groups.PAYMENT_OUTCOMES), new DeadLettered(dlt, Groups.NOTIFICATION)));
        transaction("posted-nul-source", "TransactionPosted, NUL byte in the source account ID",
                posted(uuid(), customer + "\u0000", other, 100, currency),
                List.of(new DeadLettered(dlt, Groups.PAYMENT_OUTCOMES), new DeadLettered(dlt, Groups.NOTIFICATION)));
        transaction("declined-nul-reason", "TransactionDeclined, reason with NUL bytes",
                declined(uuid(), customer, other, 100, currency, "INSUFFICIENT\u0000FUNDS"),
                List.of(new DeadLettered(dlt, Groups.PAYMENT_OUTCOMES), new DeadLettered(dlt, Groups.NOTIFICATION)));
        transaction("declined-unknown-currency", "TransactionDeclined, currency ZZZ",
                declined(uuid(), customer, other, 100, "ZZZ", "CURRENCY_MISMATCH"),
                List.of(new DeadLettered(dlt, Groups.PAYMENT_OUTCOMES), new DeadLettered(dlt, Groups.NOTIFICATION)));
    }

    private void transaction(String caseName, String description, SpecificRecord outcome, List<Expected> expected) {
        String source = (String) outcome.get(outcome.getSchema().getField("sourceAccountId").pos());
        String paymentId = (String) outcome.get(outcome.getSchema().getField("paymentId").pos());
        add(caseName, description, Topics.LEDGER_TRANSACTIONS, source, serialize(Topics.LEDGER_TRANSACTIONS, outcome),
                paymentId, expected);
    }

    private TransactionPosted posted(String paymentId, String source, String destination, long amount,
                                     String currency) {
        return TransactionPosted.newBuilder().setEventId(id("evt-") + UUID.randomUUID()).setOccurredAt(Instant.now())
                .setTransactionId(paymentId).setPaymentId(paymentId).setSourceAccountId(source)
                .setDestinationAccountId(destination).setAmountMinor(amount).setCurrency(currency)
                .setPostings(List.of(
                        Posting.newBuilder().setAccountId(source).setAmountMinor(-amount).setSequence(1_000_000)
                                .setBalanceAfter(0).build(),
                        Posting.newBuilder().setAccountId(destination).setAmountMinor(amount).setSequence(1_000_000)
                                .setBalanceAfter(amount).build()))
                .build();
    }

    private TransactionDeclined declined(String paymentId, String source, String destination, long amount,
                                         String currency, String reason) {
        return TransactionDeclined.newBuilder().setEventId(id("evt-") + UUID.randomUUID()).setOccurredAt(Instant.now())
                .setTransactionId(paymentId).setPaymentId(paymentId).setSourceAccountId(source)
                .setDestinationAccountId(destination).setAmountMinor(amount).setCurrency(currency).setReason(reason)
                .build();
    }

    // --- ledger.accounts: payment-service, notification-service (their copies of the accounts) ----------------

    private void accountStates() {
        String dlt = Topics.LEDGER_ACCOUNTS.deadLetterTopic();
        List<Expected> bothCopies = List.of(new DeadLettered(dlt, Groups.PAYMENT_ACCOUNTS),
                new DeadLettered(dlt, Groups.NOTIFICATION_ACCOUNTS));
        // Keyed by a real account (the empty one), naming another: compaction would replace the real one's state.
        accountState("account-keyed-by-another", "AccountState for a new account, keyed by an existing account",
                accounts.empty(), accountState(id("impostor"), accounts.currency(), accounts.producer()), bothCopies);
        String nul = id("nul") + "\u0000";
        accountState("account-nul-id", "AccountState, NUL byte in the account ID", nul,
                accountState(nul, accounts.currency(), accounts.producer()), bothCopies);
        String tenKb = id("acct-") + TEN_KB;
        accountState("account-10kb-id", "AccountState, 10 kB account ID", tenKb,
                accountState(tenKb, accounts.currency(), accounts.producer()), bothCopies);
        String zzz = id("zzz");
        accountState("account-unknown-currency", "AccountState, currency ZZZ", zzz,
                accountState(zzz, "ZZZ", accounts.producer()), bothCopies);
        String badOwner = id("bad-owner");
        accountState("account-nul-owner", "AccountState, NUL bytes in the owner", badOwner,
                accountState(badOwner, accounts.currency(), "demo\u0000\u0000wallet"), bothCopies);
    }

    private void accountState(String caseName, String description, String key, AccountState state,
                              List<Expected> expected) {
        add(caseName, description, Topics.LEDGER_ACCOUNTS, key, serialize(Topics.LEDGER_ACCOUNTS, state), null,
                expected);
    }

    private AccountState accountState(String accountId, String currency, String owner) {
        return AccountState.newBuilder().setEventId(id("evt-") + UUID.randomUUID()).setAccountId(accountId)
                .setCurrency(currency).setType("CUSTOMER").setOwner(owner).setStatus("OPEN")
                .setOpenedAt(Instant.now()).build();
    }

    // --- common -------------------------------------------------------------------------------------------------

    private void add(String caseName, String description, Topic<String, ?> topic, String key, byte[] value,
                     String paymentId, List<Expected> expected) {
        String caseId = run + ":" + caseName;
        if (catalogue.stream().anyMatch(h -> h.caseId().equals(caseId))) {
            throw new IllegalStateException("two cases named " + caseName);
        }
        catalogue.add(new Hostile(caseId, description, topic.name(), key == null ? id(caseName) : key, value,
                paymentId, List.copyOf(expected)));
    }

    private byte[] serialize(Topic<String, ?> topic, Object value) {
        return serialize(topic, serdeSettings, value);
    }

    @SuppressWarnings("unchecked")
    private static <V> byte[] serialize(Topic<String, V> topic, SerdeSettings settings, Object value) {
        return topic.valueSerde(settings).serializer().serialize(topic.name(), (V) value);
    }

    private String id(String name) {
        return "hostile-" + run + "-" + name;
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }

    private static String shortName(Topic<String, ?> topic) {
        return Topics.producerOf(topic.name()).isPresent() ? "commands" : topic.name();
    }

    /** Each topic's {@code max.message.bytes}, as the broker has it. */
    public static Map<String, Integer> maxMessageBytes(String bootstrapServers, Map<String, Object> clientSettings,
                                                       Collection<String> topics) {
        Map<String, Object> config = new HashMap<>(clientSettings);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            List<ConfigResource> resources = topics.stream().distinct()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            Map<String, Integer> sizes = new HashMap<>();
            configs.forEach((resource, topicConfig) -> sizes.put(resource.name(),
                    Integer.parseInt(topicConfig.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value())));
            return sizes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the topics' max.message.bytes", e);
        }
    }

    /** Writes hostile records and waits for each acknowledgement; a producer allowed records of the largest size. */
    public static final class Writer implements AutoCloseable {

        private final KafkaProducer<byte[], byte[]> producer;

        public Writer(String bootstrapServers, Map<String, Object> clientSettings) {
            Map<String, Object> config = new HashMap<>(clientSettings);
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
            config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            producer = new KafkaProducer<>(config);
        }

        public void write(Hostile hostile) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(CASE_HEADER, hostile.caseId().getBytes(StandardCharsets.UTF_8));
            try {
                producer.send(new ProducerRecord<>(hostile.topic(), null,
                        hostile.key().getBytes(StandardCharsets.UTF_8), hostile.value(), headers))
                        .get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("could not write " + hostile, e);
            }
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /** The case a record belongs to, by its {@value #CASE_HEADER} header. */
    public static Optional<String> caseOf(org.apache.kafka.common.header.Headers headers) {
        org.apache.kafka.common.header.Header header = headers.lastHeader(CASE_HEADER);
        return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}
