package io.payledger.systemtest.load;

import io.payledger.commands.InitiatePayment;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topic;
import io.payledger.schemas.topic.Topics;
import io.payledger.systemtest.PlatformClient;
import io.payledger.systemtest.Service;
import io.payledger.systemtest.SystemStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Load on a running {@link SystemStack}, open model: payment {@code i} is due at {@code t0 + i/rate} and is sent then
 * whatever earlier ones are waiting for (HTTP through the JDK client's asynchronous API, Kafka commands through an
 * asynchronous producer, at most {@code maxInFlight} of both under way), and every latency is measured from the time
 * it was due, so a stall shows in full instead of slowing the arrivals down (no coordinated omission).
 *
 * <p>Each payment carries {@code load:<run>:<seq>} in its reference; an {@link OutcomeTracker} follows it to its
 * final outcome. End-to-end latency: from the time the payment was due to the timestamp of its outcome's record
 * (ledger.transactions, or the REJECTED fraud decision).
 *
 * <pre>{@code
 * try (LoadGenerator load = LoadGenerator.prepare(stack, options)) {  // funds the accounts
 *     load.start();
 *     ... load.timeline() while it runs (a fault scenario kills a service here) ...
 *     LoadSummary summary = load.awaitSummary();                    // the duration, then the drain
 * }
 * }</pre>
 */
public final class LoadGenerator implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);
    private static final Duration FUNDING_TIMEOUT = Duration.ofMinutes(5);

    static final int NOT_DUE = 0;
    static final int IN_FLIGHT = 1;
    static final int ACCEPTED_HTTP = 2;
    static final int ACCEPTED_KAFKA = 3;
    static final int REFUSED = 4;
    static final int UNCERTAIN = 5;
    static final int NOT_SENT = 6;

    private final SystemStack stack;
    private final LoadOptions options;
    private final String run;
    private final int payments;
    private final OutcomeTracker tracker;
    private final LoadAccounts accounts;
    private final Supplier<String> tokens;
    private volatile String token;
    private final URI paymentsUri;
    private final URI batchUri;
    private final HttpClient http;
    private final ExecutorService httpCallbacks;
    private final KafkaProducer<String, InitiatePayment> producer;
    private final Topic<String, InitiatePayment> commands;
    private final ExecutorService kafkaSender;
    private final ScheduledExecutorService background;
    private final Semaphore inFlight;
    private final AtomicIntegerArray states;
    private final AtomicLong acceptedHttp = new AtomicLong();
    private final AtomicLong acceptedKafka = new AtomicLong();
    private final AtomicLong uncertainHttp = new AtomicLong();
    private final AtomicLong uncertainKafka = new AtomicLong();
    private final AtomicLong notSent = new AtomicLong();
    private final AtomicLong due = new AtomicLong();
    private final Map<Integer, LongAdder> refusedByStatus = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> uncertainCauses = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> finalsByKind = new ConcurrentHashMap<>();
    private final AtomicLong finals = new AtomicLong();
    private final AtomicLong negativeLatencies = new AtomicLong();
    /** Due time to outcome record, microseconds. */
    private final Histogram endToEnd = new SynchronizedHistogram(TimeUnit.HOURS.toMicros(2), 3);
    /** Due time to the send (how late the generator itself was), microseconds; the arrivals' thread only. */
    private final Histogram sendLag = new SynchronizedHistogram(TimeUnit.HOURS.toMicros(2), 3);
    /**
     * A posted or declined payment's way to its outcome, microseconds (millisecond resolution), stage by stage:
     * due to accepted by payment-service (the command's or request's way in), to its {@code payments.initiated}
     * record stamped (its transaction's commit and the outbox relay's pick-up), to that record committed, to its
     * fraud decision committed, to its outcome record stamped (the ledger and its relay's pick-up).
     */
    static final List<String> STAGES = List.of("intake", "outboxPickup", "outboxCommit", "fraud", "ledger");
    private final Histogram[] stageLatencies = STAGES.stream()
            .map(stage -> new SynchronizedHistogram(TimeUnit.HOURS.toMicros(2), 3)).toArray(Histogram[]::new);
    /** Due time to the HTTP answer (any status), microseconds. */
    private final Histogram httpAnswers = new SynchronizedHistogram(TimeUnit.HOURS.toMicros(2), 3);
    /** HTTP payments gathered for the next batch, and when the first of them was due; the arrivals' thread only. */
    private final List<PendingPayment> pendingHttp = new ArrayList<>();
    private long pendingHttpSince;
    private volatile long t0Nanos;
    private volatile long t0EpochMicros;
    private volatile Timeline timeline;
    private Thread arrivals;
    private LoadSummary summary;

    private LoadGenerator(SystemStack stack, LoadOptions options) {
        this.stack = stack;
        this.options = options;
        this.run = UUID.randomUUID().toString().substring(0, 8);
        this.payments = (int) options.payments();
        this.states = new AtomicIntegerArray(payments);
        this.tracker = new OutcomeTracker(stack, "load:" + run + ":", payments);
        this.background = Executors.newScheduledThreadPool(1, daemon("load-background"));
        this.httpCallbacks = Executors.newFixedThreadPool(4, daemon("load-http"));
        this.kafkaSender = Executors.newSingleThreadExecutor(daemon("load-kafka"));
        this.inFlight = new Semaphore(options.maxInFlight());
        this.tokens = SystemStack.tokens(stack.wallet());
        this.paymentsUri = URI.create(stack.url(Service.PAYMENT) + "/v1/payments");
        this.batchUri = URI.create(stack.url(Service.PAYMENT) + "/v1/payments/batch");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(httpCallbacks).build();
        this.commands = Topics.paymentCommands(stack.wallet().clientId());
        Map<String, Object> config = new HashMap<>(stack.kafkaClientSettings());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "load-" + run);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), commands.valueSerde(
                SerdeSettings.fromRegistryUrl(System.getenv("SCHEMA_REGISTRY_URL"))).serializer());
        try {
            this.accounts = LoadAccounts.open(new PlatformClient(stack), tracker, run, options, FUNDING_TIMEOUT);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens and funds the run's accounts (and waits until they are funded); nothing is sent yet. */
    public static LoadGenerator prepare(SystemStack stack, LoadOptions options) {
        return new LoadGenerator(stack, options);
    }

    /** Prepares, runs for the options' duration, drains, and returns the summary. */
    public static LoadSummary run(SystemStack stack, LoadOptions options) {
        try (LoadGenerator load = prepare(stack, options)) {
            return load.start().awaitSummary();
        }
    }

    public LoadAccounts accounts() {
        return accounts;
    }

    /** The run's ID: in its accounts' names, its references ({@code load:<run>:<seq>}) and idempotency keys. */
    public String runId() {
        return run;
    }

    /** Starts the arrivals (and the progress line on stderr). */
    public synchronized LoadGenerator start() {
        if (arrivals != null) {
            throw new IllegalStateException("started already");
        }
        token = tokens.get();
        background.scheduleWithFixedDelay(this::renewToken, 5, 5, TimeUnit.SECONDS);
        long lead = TimeUnit.MILLISECONDS.toNanos(100);
        Instant now = Clock.systemUTC().instant();
        long nowNanos = System.nanoTime();
        t0Nanos = nowNanos + lead;
        t0EpochMicros = TimeUnit.SECONDS.toMicros(now.getEpochSecond()) + now.getNano() / 1000 + lead / 1000;
        int capacity = (int) (options.duration().toSeconds() + options.drainTimeout().toSeconds()
                + options.httpTimeout().toSeconds() + 120);
        timeline = new Timeline(Instant.ofEpochMilli(t0EpochMicros / 1000), capacity);
        tracker.listener(this::finalOutcome);
        arrivals = new Thread(this::arrive, "load-arrivals");
        arrivals.setDaemon(true);
        arrivals.start();
        long interval = options.progressInterval().toMillis();
        background.scheduleAtFixedRate(new Progress(), interval, interval, TimeUnit.MILLISECONDS);
        log.info("Load run {}: {} payments/s for {} s ({} payments), {} % over Kafka ({}), the rest over HTTP {} a "
                        + "request, {} accounts, {} hot taking {} % of the payments", run, options.rate(),
                options.duration().toSeconds(), payments, Math.round(options.kafkaShare() * 100), commands.name(),
                options.httpBatch(), options.accounts(), options.hotAccounts(), Math.round(options.hotShare() * 100));
        return this;
    }

    /** Second by second, live: scheduled, accepted and final counts. Available once started. */
    public Timeline timeline() {
        if (timeline == null) {
            throw new IllegalStateException("not started");
        }
        return timeline;
    }

    private void renewToken() {
        try {
            token = tokens.get();
        } catch (RuntimeException e) {
            log.warn("Could not renew the wallet's token: {}", e.toString());
        }
    }

    private void arrive() {
        SplittableRandom random = new SplittableRandom();
        for (int seq = 0; seq < payments; seq++) {
            long dueNanos = dueNanos(seq);
            long wait;
            while ((wait = dueNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            sendLag.recordValue(Math.min(sendLag.getHighestTrackableValue(),
                    Math.max(0, (System.nanoTime() - dueNanos) / 1000)));
            if (!pendingHttp.isEmpty() && dueNanos - pendingHttpSince >= LoadOptions.HTTP_BATCH_LINGER.toNanos()) {
                sendBatch();
            }
            try {
                send(seq, random);
            } catch (RuntimeException e) {
                states.set(seq, UNCERTAIN);
                log.warn("Could not send payment {}: {}", seq, e.toString());
            }
        }
        sendBatch();
    }

    private long dueNanos(int seq) {
        return t0Nanos + (long) (seq * 1e9 / options.rate());
    }

    private long dueEpochMicros(int seq) {
        return t0EpochMicros + (long) (seq * 1e6 / options.rate());
    }

    private void send(int seq, SplittableRandom random) {
        due.incrementAndGet();
        timeline.scheduled(dueEpochMicros(seq) / 1000);
        String[] route = route(random);
        long amount = 1 + random.nextLong(options.maxAmountMinor());
        if (!inFlight.tryAcquire()) {
            states.set(seq, NOT_SENT);
            notSent.incrementAndGet();
            return;
        }
        states.set(seq, IN_FLIGHT);
        String key = "load-" + run + "-" + seq;
        String reference = "load:" + run + ":" + seq;
        if (options.overKafka(seq)) {
            kafkaSender.execute(() -> sendCommand(seq, key, reference, route[0], route[1], amount));
        } else if (options.httpBatch() == 1) {
            sendRequest(seq, key, reference, route[0], route[1], amount);
        } else {
            if (pendingHttp.isEmpty()) {
                pendingHttpSince = dueNanos(seq);
            }
            pendingHttp.add(new PendingPayment(seq, key, reference, route[0], route[1], amount));
            if (pendingHttp.size() >= options.httpBatch()) {
                sendBatch();
            }
        }
    }

    /** An HTTP payment waiting for its batch to fill. */
    private record PendingPayment(int seq, String key, String reference, String from, String to, long amount) {
    }

    /** On the arrivals' thread: sends the pending HTTP payments as one batch, if any. */
    private void sendBatch() {
        if (pendingHttp.isEmpty()) {
            return;
        }
        List<PendingPayment> batch = List.copyOf(pendingHttp);
        pendingHttp.clear();
        StringBuilder body = new StringBuilder("{\"payments\":[");
        for (PendingPayment payment : batch) {
            body.append(payment == batch.get(0) ? "" : ",").append(("{\"idempotencyKey\":\"%s\","
                    + "\"sourceAccountId\":\"%s\",\"destinationAccountId\":\"%s\",\"amount\":\"%s\","
                    + "\"currency\":\"%s\",\"reference\":\"%s\"}")
                    .formatted(payment.key(), payment.from(), payment.to(), decimal(payment.amount()),
                            options.currency(), payment.reference()));
        }
        HttpRequest request = HttpRequest.newBuilder(batchUri)
                .timeout(options.httpTimeout())
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString()))
                .build();
        try {
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .orTimeout(options.httpTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)
                    .whenComplete((response, error) -> batchAnswered(batch, response, error));
        } catch (RuntimeException e) {
            batchAnswered(batch, null, e);
        }
    }

    /** A batch's answer: each payment's own status from its result, or the batch's status for all of them. */
    private void batchAnswered(List<PendingPayment> batch, HttpResponse<String> response, Throwable error) {
        long answered = System.nanoTime();
        try {
            JsonNode results = error == null && response.statusCode() == 200
                    ? JSON.readTree(response.body()).path("results") : null;
            for (int i = 0; i < batch.size(); i++) {
                int seq = batch.get(i).seq();
                if (error != null) {
                    unanswered(seq, error);
                } else if (results == null) {
                    answered(seq, response.statusCode(), answered);
                } else if (results.size() != batch.size()) {
                    unanswered(seq, new IllegalStateException("a batch of " + batch.size() + " answered with "
                            + results.size() + " results"));
                } else {
                    answered(seq, results.get(i).path("status").asInt(), answered);
                }
            }
        } finally {
            inFlight.release(batch.size());
        }
    }

    /** Source and destination: one of them hot for {@code hotShare} of the payments, neither for the rest. */
    private String[] route(SplittableRandom random) {
        int hot = accounts.hot();
        int cold = accounts.customers().size() - hot;
        if (hot > 0 && random.nextDouble() < options.hotShare()) {
            String hotAccount = accounts.customers().get(random.nextInt(hot));
            String other = accounts.customers().get(hot + random.nextInt(cold));
            return random.nextBoolean() ? new String[] {hotAccount, other} : new String[] {other, hotAccount};
        }
        int from = random.nextInt(cold);
        int to = (from + 1 + random.nextInt(cold - 1)) % cold;
        return new String[] {accounts.customers().get(hot + from), accounts.customers().get(hot + to)};
    }

    private void sendRequest(int seq, String key, String reference, String from, String to, long amount) {
        String body = "{\"sourceAccountId\":\"%s\",\"destinationAccountId\":\"%s\",\"amount\":\"%s\",\"currency\":\"%s\","
                + "\"reference\":\"%s\"}";
        HttpRequest request = HttpRequest.newBuilder(paymentsUri)
                .timeout(options.httpTimeout())
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body.formatted(from, to, decimal(amount),
                        options.currency(), reference)))
                .build();
        // Under way at most this long, whatever the client's own timer does: on a starved machine requests with a
        // 30 s timeout were seen still unanswered two minutes later.
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .orTimeout(options.httpTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)
                .whenComplete((response, error) -> answered(seq, response, error));
    }

    /** An HTTP request's answer (any status), or why there is none. */
    private void answered(int seq, HttpResponse<String> response, Throwable error) {
        try {
            if (error != null) {
                unanswered(seq, error);
            } else {
                answered(seq, response.statusCode(), System.nanoTime());
            }
        } finally {
            inFlight.release();
        }
    }

    private void unanswered(int seq, Throwable error) {
        states.set(seq, UNCERTAIN);
        uncertainHttp.incrementAndGet();
        uncertain(error);
    }

    /** Payment {@code seq} was answered {@code status} over HTTP (alone, or as its result in a batch). */
    private void answered(int seq, int status, long answeredNanos) {
        httpAnswers.recordValue(Math.max(0, (answeredNanos - dueNanos(seq)) / 1000));
        if (status == 202) {
            states.set(seq, ACCEPTED_HTTP);
            acceptedHttp.incrementAndGet();
            timeline.accepted(System.currentTimeMillis());
        } else {
            states.set(seq, REFUSED);
            refusedByStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
        }
    }

    private void sendCommand(int seq, String key, String reference, String from, String to, long amount) {
        InitiatePayment command = InitiatePayment.newBuilder().setCommandId(key).setSourceAccountId(from)
                .setDestinationAccountId(to).setAmountMinor(amount).setCurrency(options.currency())
                .setReference(reference).setRequestedAt(Instant.ofEpochMilli(dueEpochMicros(seq) / 1000)).build();
        try {
            producer.send(new ProducerRecord<>(commands.name(), from, command), (metadata, error) -> {
                try {
                    if (error != null) {
                        states.set(seq, UNCERTAIN);
                        uncertainKafka.incrementAndGet();
                        uncertain(error);
                    } else {
                        states.set(seq, ACCEPTED_KAFKA);
                        acceptedKafka.incrementAndGet();
                        timeline.accepted(System.currentTimeMillis());
                    }
                } finally {
                    inFlight.release();
                }
            });
        } catch (RuntimeException e) {
            states.set(seq, UNCERTAIN);
            uncertainKafka.incrementAndGet();
            uncertain(e);
            inFlight.release();
        }
    }

    /** Counts why a send is uncertain: the exception's class (the cause's, of a CompletionException). */
    private void uncertain(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        uncertainCauses.computeIfAbsent(cause.getClass().getSimpleName(), c -> new LongAdder()).increment();
    }

    /** On the tracker's thread: the run's payment {@code seq} reached its first final outcome. */
    private void finalOutcome(int seq, int kind, long outcomeEpochMillis, OutcomeTracker.Stages stages) {
        long micros = outcomeEpochMillis * 1000 - dueEpochMicros(seq);
        if (micros < 0) {
            negativeLatencies.incrementAndGet(); // another machine's clock, ahead of this one
            micros = 0;
        }
        endToEnd.recordValue(Math.min(micros, endToEnd.getHighestTrackableValue()));
        if (kind != OutcomeTracker.REJECTED && stages.complete()) {
            long[] marks = {dueEpochMicros(seq) / 1000, stages.accepted(), stages.initiatedStamped(),
                    stages.initiatedSeen(), stages.decisionSeen(), outcomeEpochMillis};
            for (int stage = 0; stage < STAGES.size(); stage++) {
                stageLatencies[stage].recordValue(Math.min(Math.max(0, marks[stage + 1] - marks[stage]) * 1000,
                        endToEnd.getHighestTrackableValue()));
            }
        }
        finalsByKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
        finals.incrementAndGet();
        timeline.finalOutcome(outcomeEpochMillis);
    }

    /**
     * Waits for the arrivals to end, for every send to be answered, then for every accepted payment's final outcome
     * (at most the drain timeout); prints nothing, returns the summary.
     */
    public synchronized LoadSummary awaitSummary() {
        if (summary != null) {
            return summary;
        }
        if (arrivals == null) {
            throw new IllegalStateException("not started");
        }
        try {
            arrivals.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long arrivalsEnded = System.nanoTime();
        long answersBy = arrivalsEnded + options.httpTimeout().toNanos() + TimeUnit.SECONDS.toNanos(60);
        while (inFlight.availablePermits() < options.maxInFlight() && System.nanoTime() < answersBy) {
            OutcomeTracker.sleep(50);
        }
        long drainBy = arrivalsEnded + options.drainTimeout().toNanos();
        long pending = pending();
        while (pending > 0 && System.nanoTime() < drainBy) {
            tracker.checkRunning();
            OutcomeTracker.sleep(200);
            pending = pending();
        }
        long drained = System.nanoTime();
        background.shutdownNow();
        tracker.close();
        if (pending > 0) {
            log.warn("{} accepted payments have no final outcome {} s after the last arrival", pending,
                    options.drainTimeout().toSeconds());
        }
        summary = summarize(TimeUnit.NANOSECONDS.toMillis(drained - arrivalsEnded));
        return summary;
    }

    /** Payments accepted (or made by payment-service though their answer was lost) without a final outcome yet. */
    private long pending() {
        long pending = 0;
        for (int seq = 0; seq < payments; seq++) {
            if (made(seq) && tracker.finalKind(seq) == OutcomeTracker.NONE) {
                pending++;
            }
        }
        return pending;
    }

    private boolean made(int seq) {
        int state = states.get(seq);
        return state == ACCEPTED_HTTP || state == ACCEPTED_KAFKA || tracker.initiated(seq);
    }

    private LoadSummary summarize(long drainMillis) {
        long lost = 0;
        long uncertainFinal = 0;
        for (int seq = 0; seq < payments; seq++) {
            int state = states.get(seq);
            if (made(seq) && tracker.finalKind(seq) == OutcomeTracker.NONE) {
                lost++;
            }
            if (state == UNCERTAIN && tracker.finalKind(seq) != OutcomeTracker.NONE) {
                uncertainFinal++;
            }
        }
        Map<String, Long> refused = new java.util.TreeMap<>();
        refusedByStatus.forEach((status, count) -> refused.put(String.valueOf(status), count.sum()));
        // Sends still without an answer or an acknowledgement (the wait for them timed out) are uncertain too.
        long stillHttp = 0;
        long stillKafka = 0;
        for (int seq = 0; seq < payments; seq++) {
            if (states.get(seq) == IN_FLIGHT) {
                if (options.overKafka(seq)) {
                    stillKafka++;
                } else {
                    stillHttp++;
                }
            }
        }
        Map<String, Long> causes = new java.util.TreeMap<>();
        uncertainCauses.forEach((cause, count) -> causes.put(cause, count.sum()));
        if (stillHttp + stillKafka > 0) {
            causes.put("StillInFlight", stillHttp + stillKafka);
        }
        Map<String, Long> finalByKind = new LinkedHashMap<>();
        for (int kind : new int[] {OutcomeTracker.POSTED, OutcomeTracker.DECLINED, OutcomeTracker.REJECTED}) {
            LongAdder count = finalsByKind.get(kind);
            finalByKind.put(OutcomeTracker.KINDS.get(kind), count == null ? 0 : count.sum());
        }
        return new LoadSummary(options, stack.controlsProcesses() ? "local" : "external", run, payments, due.get(),
                notSent.get(), acceptedHttp.get(), acceptedKafka.get(), refused, uncertainHttp.get() + stillHttp,
                uncertainKafka.get() + stillKafka, causes, uncertainFinal, tracker.initiatedCount(), finalByKind, lost,
                tracker.duplicates(), tracker.paymentsForOneToken(), negativeLatencies.get(),
                LoadSummary.Latency.of(endToEnd), stageLatencies(), LoadSummary.Latency.of(httpAnswers),
                LoadSummary.Latency.of(sendLag), drainMillis, timeline);
    }

    private Map<String, LoadSummary.Latency> stageLatencies() {
        Map<String, LoadSummary.Latency> stages = new LinkedHashMap<>();
        for (int stage = 0; stage < STAGES.size(); stage++) {
            stages.put(STAGES.get(stage), LoadSummary.Latency.of(stageLatencies[stage]));
        }
        return stages;
    }

    private final class Progress implements Runnable {
        private long lastAccepted;
        private long lastFinals;
        private long lastNanos = t0Nanos;

        @Override
        public void run() {
            long now = System.nanoTime();
            long accepted = acceptedHttp.get() + acceptedKafka.get();
            long finalNow = finals.get();
            double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
            long refused = refusedByStatus.values().stream().mapToLong(LongAdder::sum).sum();
            System.err.printf("load %s %5.0fs  scheduled %d  accepted/s %.0f  final/s %.0f  in flight %d  p99 %.0f ms"
                            + "  (refused %d, uncertain %d, not sent %d)%n", run, (now - t0Nanos) / 1e9, due.get(),
                    (accepted - lastAccepted) / seconds, (finalNow - lastFinals) / seconds, accepted - finalNow,
                    endToEnd.getValueAtPercentile(99) / 1000.0, refused, uncertainHttp.get() + uncertainKafka.get(),
                    notSent.get());
            lastAccepted = accepted;
            lastFinals = finalNow;
            lastNanos = now;
        }
    }

    /** Minor units as the API's decimal amount, for two-decimal currencies: 1234 is "12.34". */
    static String decimal(long amountMinor) {
        return "%d.%02d".formatted(amountMinor / 100, amountMinor % 100);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops everything of the generator's (an unfinished run's arrivals too); the stack runs on. */
    @Override
    public void close() {
        if (arrivals != null) {
            arrivals.interrupt();
        }
        background.shutdownNow();
        tracker.close();
        kafkaSender.shutdownNow();
        producer.close(Duration.ofSeconds(5));
        httpCallbacks.shutdownNow();
    }
}
