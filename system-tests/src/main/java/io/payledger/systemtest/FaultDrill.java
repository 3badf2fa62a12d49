package io.payledger.systemtest;

import static org.awaitility.Awaitility.await;

import io.payledger.schemas.topic.TopicEnd;
import io.payledger.schemas.topic.Topics;
import io.payledger.systemtest.Invariants.LedgerOutcome;
import io.payledger.systemtest.Invariants.Payment;
import io.payledger.systemtest.PaymentTraffic.Outcome;
import io.payledger.systemtest.PaymentTraffic.Submission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fault scenario under load, start to finish: fresh accounts of its own (names unique to the run), funded;
 * payments at a fixed rate over HTTP and Kafka ({@link PaymentTraffic}); after a warm-up the {@link Fault} is
 * injected, then restored, the traffic still flowing until the ledger's throughput is back (or a time limit);
 * then every check at once:
 * <ul>
 *   <li>every accepted payment (202 or Kafka command) has exactly one final status; a refused one none;</li>
 *   <li>every platform consumer group's lag returns to zero;</li>
 *   <li>no outcome is published twice on ledger.transactions, and each matches its payment's status;</li>
 *   <li>money is conserved: balances are the funding moved by exactly the posted payments, summing to zero;</li>
 *   <li>{@code payledger-ops verify --events} passes;</li>
 *   <li>the recovery time: from the fault's injection to the first one-second window (counted from the injection)
 *       in which the ledger published at least 90 % of the pre-fault rate of outcomes (record timestamps).</li>
 * </ul>
 * It prints one {@code RECOVERY <scenario>: ...} line, and fails listing every violation found.
 */
public final class FaultDrill {

    private static final Logger log = LoggerFactory.getLogger(FaultDrill.class);
    private static final int RATE_SECONDS = 3;
    private static final int MAX_WARM_UP_SECONDS = 60;

    /** What is done to the platform: injected after the warm-up, restored right after (each may wait). */
    public interface Fault {

        void inject(FaultDrill drill) throws Exception;

        void restore(FaultDrill drill) throws Exception;

        /** Once the traffic has stopped, before the checks. */
        default void afterTraffic(FaultDrill drill) throws Exception {
        }
    }

    /** A step of a fault. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /** A fault from its two steps. */
    public static Fault fault(Step inject, Step restore) {
        return new Fault() {
            @Override
            public void inject(FaultDrill drill) throws Exception {
                inject.run();
            }

            @Override
            public void restore(FaultDrill drill) throws Exception {
                restore.run();
            }
        };
    }

    /**
     * @param paymentsPerSecond the traffic's fixed arrival rate
     * @param kafkaEvery        every n-th payment a Kafka command (the rest over HTTP)
     * @param customers         customer accounts of the wallet, each funded with {@code fundingMinor}
     * @param warmUp            traffic before the fault at least (longer until the ledger keeps up with it; the
     *                          pre-fault rate is measured over its last three seconds)
     * @param afterRecovery     traffic kept flowing once the throughput is back
     * @param maxRecovery       how long after the restore the traffic flows at most, recovered or not
     * @param timeout           each wait of the checks (payments final, lag zero)
     */
    public record Settings(int paymentsPerSecond, int kafkaEvery, int customers, long fundingMinor,
                           long maxAmountMinor, Duration warmUp, Duration afterRecovery, Duration maxRecovery,
                           Duration timeout) {

        public static Settings defaults() {
            return new Settings(20, 5, 4, 1_000_00, 500, Duration.ofSeconds(5), Duration.ofSeconds(3),
                    Duration.ofSeconds(90), Duration.ofMinutes(3));
        }

        public Settings withPaymentsPerSecond(int perSecond) {
            return new Settings(perSecond, kafkaEvery, customers, fundingMinor, maxAmountMinor, warmUp, afterRecovery,
                    maxRecovery, timeout);
        }
    }

    /**
     * The ledger's throughput around the fault.
     *
     * @param preFaultPerSecond outcomes a second before the fault
     * @param recovery          injection to the first window back at 90 % (zero: it never fell below for two
     *                          seconds in a row); empty: not back before the traffic stopped
     * @param perSecond         outcomes published in each one-second window from the injection on
     */
    public record Recovery(double preFaultPerSecond, Optional<Duration> recovery, List<Integer> perSecond) {

        /**
         * Measures from outcomes' publication times: the pre-fault rate over {@code [rateFrom, injectedAt)} (at most the
         * offered rate), then
         * windows {@code [injectedAt + k s, injectedAt + (k + 1) s)} up to {@code until}. The dip is the first two
         * windows in a row below 90 % (one alone is the ledger's batching, not the fault: on a busy machine single
         * seconds come and go); the first window at or above 90 % after it is the recovery.
         */
        public static Recovery measure(List<Instant> published, Instant rateFrom, Instant injectedAt, Instant until,
                                       int offeredPerSecond) {
            double seconds = Duration.between(rateFrom, injectedAt).toMillis() / 1000.0;
            long before = published.stream().filter(t -> !t.isBefore(rateFrom) && t.isBefore(injectedAt)).count();
            // no more than the traffic offers: above it the ledger was catching up on the warm-up's first seconds
            double rate = seconds <= 0 ? 0 : Math.min(offeredPerSecond, before / seconds);
            double threshold = 0.9 * rate;
            List<Integer> counts = new ArrayList<>();
            for (int k = 0; !injectedAt.plusSeconds(k + 1).isAfter(until); k++) {
                Instant from = injectedAt.plusSeconds(k);
                Instant to = from.plusSeconds(1);
                counts.add((int) published.stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).count());
            }
            int dip = -1;
            for (int k = 0; k + 1 < counts.size(); k++) {
                if (counts.get(k) < threshold && counts.get(k + 1) < threshold) {
                    dip = k;
                    break;
                }
            }
            if (dip < 0) {
                return new Recovery(rate, counts.isEmpty() ? Optional.empty() : Optional.of(Duration.ZERO), counts);
            }
            for (int k = dip + 1; k < counts.size(); k++) {
                if (counts.get(k) >= threshold) {
                    return new Recovery(rate, Optional.of(Duration.ofSeconds(k)), counts);
                }
            }
            return new Recovery(rate, Optional.empty(), counts);
        }

        /**
         * Whether the throughput has stayed back: recovered, at least {@code seconds} whole windows since, and on
         * average over those at 75 % of the pre-fault rate or more (single seconds come and go on a busy machine).
         */
        boolean heldFor(long seconds) {
            if (recovery.isEmpty()) {
                return false;
            }
            List<Integer> since = perSecond.subList((int) recovery.get().toSeconds() + 1, perSecond.size());
            return since.size() >= seconds
                    && since.stream().mapToInt(Integer::intValue).average().orElse(0) >= 0.75 * preFaultPerSecond;
        }
    }

    /** What the scenario did and found; {@link #run} has checked it all by the time it returns. */
    public record Result(String scenario, List<Submission> submissions, List<Payment> payments,
                         List<LedgerOutcome> outcomes, Instant trafficStarted, Instant injectedAt, Instant restoredAt,
                         Instant trafficStopped, Recovery recovery, Duration lagZeroAfterTraffic,
                         Invariants.Verification verification) {

        /** The outcomes of this scenario's payments. */
        public List<LedgerOutcome> paymentOutcomes() {
            Set<String> ids = Invariants.paymentIds(payments);
            return outcomes.stream().filter(o -> ids.contains(o.transactionId())).toList();
        }

        public long count(Outcome outcome) {
            return submissions.stream().filter(s -> s.outcome() == outcome).count();
        }
    }

    private final SystemStack stack;
    private final PlatformClient platform;
    private final Invariants invariants;
    private final String scenario;
    private final Settings settings;
    private final String currency;
    private final String settlement;
    private final List<String> customers;
    private final PaymentTraffic traffic;
    private volatile Instant injectedAt;

    private FaultDrill(SystemStack stack, PlatformClient platform, String scenario, Settings settings, String currency,
                       String settlement, List<String> customers) {
        this.stack = stack;
        this.platform = platform;
        this.invariants = new Invariants(stack, platform);
        this.scenario = scenario;
        this.settings = settings;
        this.currency = currency;
        this.settlement = settlement;
        this.customers = customers;
        this.traffic = new PaymentTraffic(stack, platform, customers, currency, settings.maxAmountMinor(),
                settings.kafkaEvery());
    }

    /**
     * Opens a SYSTEM account and the customer accounts, names unique to this run and scenario, funds each customer
     * and waits until the funding is posted.
     */
    public static FaultDrill prepare(SystemStack stack, PlatformClient platform, String scenario, String currency,
                                     Settings settings) {
        String run = scenario.replaceAll("[^a-z0-9]+", "-") + "-" + UUID.randomUUID().toString().substring(0, 8);
        String settlement = run + "-settlement";
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < settings.customers(); i++) {
            customers.add(run + "-c" + i);
        }
        platform.openSystemAccount(settlement, currency);
        customers.forEach(account -> platform.openCustomerAccount(account, currency));
        List<String> funding = new ArrayList<>();
        for (String customer : customers) {
            funding.add(platform.fund("funding-" + customer, settlement, customer, settings.fundingMinor(), currency));
        }
        await().atMost(settings.timeout()).pollInterval(Duration.ofMillis(200))
                .until(() -> funding.stream().allMatch(id -> platform.status(id).equals("POSTED")));
        return new FaultDrill(stack, platform, scenario, settings, currency, settlement, List.copyOf(customers));
    }

    public SystemStack stack() {
        return stack;
    }

    public PlatformClient platform() {
        return platform;
    }

    public Invariants invariants() {
        return invariants;
    }

    public String scenario() {
        return scenario;
    }

    public String currency() {
        return currency;
    }

    public List<String> customers() {
        return customers;
    }

    public String settlement() {
        return settlement;
    }

    public PaymentTraffic traffic() {
        return traffic;
    }

    /** When the fault was injected (null before). */
    public Instant injectedAt() {
        return injectedAt;
    }

    /** Runs the scenario: traffic, fault, restore, recovery, then every check; returns what it found. */
    public Result run(Fault fault) throws Exception {
        List<Instant> tapped = new java.util.concurrent.CopyOnWriteArrayList<>();
        Instant trafficStarted;
        Instant restoredAt;
        Instant trafficStopped;
        Recovery live;
        Instant rateFrom;
        try (OutcomeTap tap = new OutcomeTap(stack, tapped)) {
            trafficStarted = Instant.now();
            try {
                traffic.start(settings.paymentsPerSecond());
                rateFrom = warmUp(tapped, trafficStarted);
                injectedAt = Instant.now();
                log.info("{}: injecting the fault", scenario);
                try {
                    fault.inject(this);
                } catch (Exception | AssertionError e) {
                    // restored all the same: the next scenario shares the stack
                    try {
                        fault.restore(this);
                    } catch (Exception | AssertionError again) {
                        e.addSuppressed(again);
                    }
                    throw e;
                }
                fault.restore(this);
                restoredAt = Instant.now();
                log.info("{}: restored {} ms after the injection", scenario,
                        Duration.between(injectedAt, restoredAt).toMillis());
                Instant giveUp = restoredAt.plus(settings.maxRecovery());
                do {
                    Thread.sleep(500);
                    // a window counts once a second has passed since its end: outcomes take that long to arrive
                    live = Recovery.measure(List.copyOf(tapped), rateFrom, injectedAt, Instant.now().minusSeconds(1),
                            settings.paymentsPerSecond());
                } while (!live.heldFor(settings.afterRecovery().toSeconds()) && Instant.now().isBefore(giveUp));
            } finally {
                traffic.close();
            }
            trafficStopped = Instant.now();
        }
        log.info("{}: traffic stopped, {} submissions; live throughput {}", scenario, traffic.submissions().size(),
                live);
        fault.afterTraffic(this);
        return check(trafficStarted, rateFrom, restoredAt, trafficStopped);
    }

    /**
     * Traffic for {@code warmUp} at least, and until the ledger publishes outcomes at the offered rate (80 % of it
     * over the last {@value #RATE_SECONDS} whole seconds; on a loaded machine the first payments take seconds), at
     * most {@value #MAX_WARM_UP_SECONDS} s. Returns where the pre-fault rate is measured from: those last seconds.
     */
    private Instant warmUp(List<Instant> tapped, Instant trafficStarted) throws InterruptedException {
        Thread.sleep(settings.warmUp().toMillis());
        Instant giveUp = trafficStarted.plusSeconds(MAX_WARM_UP_SECONDS);
        while (true) {
            Instant to = Instant.now().minusSeconds(1);
            Instant from = to.minusSeconds(RATE_SECONDS);
            long count = tapped.stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).count();
            if (count >= 0.8 * settings.paymentsPerSecond() * RATE_SECONDS || Instant.now().isAfter(giveUp)) {
                Instant rateFrom = Instant.now().minusSeconds(RATE_SECONDS);
                log.info("{}: warmed up in {} ms ({} outcomes in the last {} s)", scenario,
                        Duration.between(trafficStarted, Instant.now()).toMillis(), count, RATE_SECONDS);
                return rateFrom.isBefore(trafficStarted) ? trafficStarted : rateFrom;
            }
            Thread.sleep(500);
        }
    }

    private Result check(Instant trafficStarted, Instant rateFrom, Instant restoredAt, Instant trafficStopped) {
        List<String> violations = new ArrayList<>();
        List<Submission> submissions = traffic.submissions();

        // Every accepted payment reaches a final status (an uncertain one may have a payment, a refused one none)
        List<Payment> payments;
        try {
            payments = new ArrayList<>(invariants.awaitFinal(submissions, settings.timeout()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(scenario + ": payments still PENDING (or a command not taken) after "
                    + settings.timeout() + "; consumer lag now: " + safeLag(), e);
        }
        // Every group catches up (on the commands too: an uncertain command may still have arrived)
        Duration lagZero = Duration.ZERO;
        try {
            lagZero = invariants.awaitNoLag(settings.timeout());
        } catch (AssertionError e) {
            violations.add(e.getMessage());
        }
        // Uncertain submissions looked for again, now that everything sent has been consumed
        List<Submission> uncertain = submissions.stream().filter(s -> s.outcome() == Outcome.UNCERTAIN).toList();
        Set<String> found = payments.stream().map(p -> p.submission().key()).collect(Collectors.toSet());
        List<Submission> unfound = uncertain.stream().filter(s -> !found.contains(s.key())).toList();
        if (!unfound.isEmpty()) {
            payments.addAll(invariants.awaitFinal(unfound, settings.timeout()));
        }
        violations.addAll(Invariants.exactlyOneFinal(submissions, payments));

        // No outcome twice; each payment's outcome matches its status
        List<LedgerOutcome> outcomes = invariants.ledgerOutcomes();
        violations.addAll(Invariants.outcomesOnce(outcomes, payments));

        // Money conserved
        Map<String, Long> funded = new LinkedHashMap<>();
        customers.forEach(account -> funded.put(account, settings.fundingMinor()));
        funded.put(settlement, -settings.fundingMinor() * customers.size());
        violations.addAll(invariants.moneyConserved(funded, payments));

        // The books and the ledger's topics
        Invariants.Verification verification = invariants.verifyEvents();
        if (verification.exitCode() != 0) {
            violations.add("payledger-ops verify --events exited " + verification.exitCode() + ":\n"
                    + verification.output());
        }

        // The recovery, from the outcomes of this scenario's payments
        Set<String> ids = Invariants.paymentIds(payments);
        List<Instant> published = outcomes.stream().filter(o -> ids.contains(o.transactionId()))
                .map(LedgerOutcome::publishedAt).toList();
        Recovery recovery = Recovery.measure(published, rateFrom, injectedAt, trafficStopped,
                settings.paymentsPerSecond());
        if (recovery.recovery().isEmpty()) {
            violations.add("throughput not back to 90 % of " + "%.1f".formatted(recovery.preFaultPerSecond())
                    + "/s before the traffic stopped: " + recovery.perSecond());
        }
        Result result = new Result(scenario, submissions, List.copyOf(payments), outcomes, trafficStarted, injectedAt,
                restoredAt, trafficStopped, recovery, lagZero, verification);
        System.out.printf("RECOVERY %s: %s (fault injected -> throughput back to >= 90 %% of %.1f outcomes/s); "
                        + "fault lasted %d ms; outcomes/s from the injection %s; %d submissions (%d accepted, %d sent "
                        + "on Kafka, %d refused, %d uncertain), %d payments (%d posted); consumer lag zero %d ms "
                        + "after the payments were final; %s%n", scenario,
                recovery.recovery().map(d -> d.toSeconds() + " s").orElse("NOT RECOVERED"),
                recovery.preFaultPerSecond(), Duration.between(injectedAt, restoredAt).toMillis(),
                recovery.perSecond(), submissions.size(), result.count(Outcome.ACCEPTED), result.count(Outcome.SENT),
                result.count(Outcome.REFUSED), result.count(Outcome.UNCERTAIN), payments.size(),
                payments.stream().filter(p -> p.status().equals("POSTED")).count(), lagZero.toMillis(),
                violations.isEmpty() ? "all checks passed" : violations.size() + " violations");
        if (!violations.isEmpty()) {
            throw new AssertionError(scenario + ": " + violations.size() + " violations:\n"
                    + violations.stream().limit(30).collect(Collectors.joining("\n")));
        }
        return result;
    }

    private String safeLag() {
        try {
            return Invariants.lagging(invariants.consumerLag());
        } catch (RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }

    /** Publication times of the records on ledger.transactions from now on, read as they come (read_committed). */
    private static final class OutcomeTap implements AutoCloseable {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        OutcomeTap(SystemStack stack, List<Instant> sink) {
            Map<String, Object> config = new java.util.HashMap<>(stack.kafkaClientSettings());
            config.putAll(TopicEnd.readCommittedConsumerConfig(stack.kafkaBootstrapServers()));
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config);
            List<TopicPartition> partitions = TopicEnd.partitions(consumer, Topics.LEDGER_TRANSACTIONS.name(),
                    Duration.ofSeconds(30));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(partition -> consumer.position(partition, Duration.ofSeconds(30)));
            thread = new Thread(() -> {
                try (consumer) {
                    while (running.get()) {
                        try {
                            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                                sink.add(Instant.ofEpochMilli(record.timestamp()));
                            }
                        } catch (RuntimeException e) {
                            log.debug("outcome tap: {}", e.toString());
                        }
                    }
                }
            }, "fault-drill-outcome-tap");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
