package io.payledger.systemtest;

import io.payledger.commands.InitiatePayment;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topic;
import io.payledger.schemas.topic.Topics;
import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Payments at a fixed arrival rate between the wallet's customer accounts, over HTTP and, every
 * {@code kafkaEvery}-th one, as a command on the wallet's Kafka topic ({@code payments.commands.<wallet>}).
 * Arrivals are scheduled whatever the answers take (each is sent from a pool), so a slow or dead service does not
 * slow the traffic down. Every submission is recorded with its key, so that afterwards each can be found by it,
 * whatever its answer was (a request cut off may still have been accepted).
 */
public final class PaymentTraffic implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PaymentTraffic.class);

    public enum Channel { HTTP, KAFKA }

    /**
     * ACCEPTED: 202 over HTTP. REFUSED: any other 4xx answer (no payment). UNCERTAIN: no answer (the request failed
     * or timed out), or a 5xx, which does not say whether the payment was recorded: it may have been accepted.
     * SENT: a Kafka command the broker acknowledged.
     */
    public enum Outcome { ACCEPTED, REFUSED, UNCERTAIN, SENT }

    /**
     * @param paymentId the ID from the 202, or null (a Kafka command's payment is found by its commandId, the key)
     */
    public record Submission(Channel channel, String key, String from, String to, long amountMinor, String currency,
                             Instant sentAt, Outcome outcome, String paymentId, String detail) {
    }

    private final PlatformClient platform;
    private final KafkaTestClient kafka;
    private final Topic<String, InitiatePayment> commands;
    private final Serializer<InitiatePayment> serializer;
    private final List<String> accounts;
    private final String currency;
    private final long maxAmountMinor;
    private final int kafkaEvery;
    private final AtomicLong sequence = new AtomicLong();
    private final List<Submission> submissions = new ArrayList<>();
    private final List<Retry> retries = new ArrayList<>();
    private volatile boolean retryEveryRequest;
    private final ScheduledExecutorService arrivals = Executors.newSingleThreadScheduledExecutor(r ->
            new Thread(r, "traffic-arrivals"));
    private final ExecutorService senders = Executors.newFixedThreadPool(32, r -> new Thread(r, "traffic-sender"));
    private final ExecutorService duplicates = Executors.newCachedThreadPool(r -> new Thread(r, "traffic-duplicate"));

    /**
     * What a client that sends each HTTP request twice at once, and a third time once answered, all with the same
     * Idempotency-Key and body, got: the two concurrent answers' statuses and payment IDs (null unless 202, or
     * when it failed), then the third's.
     */
    public record Retry(String key, List<String> concurrent, List<String> concurrentPaymentIds, String after,
                        String afterPaymentId) {
    }

    /**
     * @param accounts       the wallet's customer accounts; each payment goes between two of them, at random
     * @param maxAmountMinor amounts are 1 to this, at random
     * @param kafkaEvery     every n-th payment is a Kafka command (0: none)
     */
    public PaymentTraffic(SystemStack stack, PlatformClient platform, List<String> accounts, String currency,
                          long maxAmountMinor, int kafkaEvery) {
        this.platform = platform;
        this.kafka = new KafkaTestClient(stack.kafkaBootstrapServers(), stack.kafkaClientSettings());
        this.commands = Topics.paymentCommands(stack.wallet().clientId());
        this.serializer = commands.valueSerde(SerdeSettings.fromRegistryUrl(System.getenv("SCHEMA_REGISTRY_URL")))
                .serializer();
        this.accounts = List.copyOf(accounts);
        this.currency = currency;
        this.maxAmountMinor = maxAmountMinor;
        this.kafkaEvery = kafkaEvery;
        if (accounts.size() < 2) {
            throw new IllegalArgumentException("payments need two accounts at least");
        }
    }

    /** Starts sending {@code perSecond} payments a second until {@link #stop()}. */
    public PaymentTraffic start(int perSecond) {
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        arrivals.scheduleAtFixedRate(() -> senders.execute(this::submitOne), 0, periodNanos, TimeUnit.NANOSECONDS);
        log.info("Traffic: {} payments a second, every {}th on Kafka ({})", perSecond, kafkaEvery, commands.name());
        return this;
    }

    /**
     * From now on (until called with false) every HTTP request is sent twice concurrently, and again after both
     * answered, with the same Idempotency-Key and body; see {@link #retries()}.
     */
    public PaymentTraffic retryEveryRequest(boolean retry) {
        this.retryEveryRequest = retry;
        return this;
    }

    /** Every request sent again (see {@link #retryEveryRequest}), with its answers. */
    public List<Retry> retries() {
        synchronized (retries) {
            return List.copyOf(retries);
        }
    }

    /** Stops the arrivals and waits for the requests under way. */
    public void stop() {
        arrivals.shutdownNow();
        senders.shutdown();
        duplicates.shutdown();
        try {
            if (!senders.awaitTermination(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("requests still under way 60 s after the traffic stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        log.info("Traffic stopped after {} submissions", submissions().size());
    }

    private void submitOne() {
        long n = sequence.incrementAndGet();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int fromIndex = random.nextInt(accounts.size());
        int toIndex = (fromIndex + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
        String from = accounts.get(fromIndex);
        String to = accounts.get(toIndex);
        long amount = 1 + random.nextLong(maxAmountMinor);
        String key = UUID.randomUUID().toString();
        Instant sentAt = Instant.now();
        Submission submission;
        if (kafkaEvery > 0 && n % kafkaEvery == 0) {
            submission = sendCommand(key, from, to, amount, sentAt);
        } else {
            submission = sendRequest(key, from, to, amount, sentAt);
        }
        synchronized (submissions) {
            submissions.add(submission);
        }
    }

    private Submission sendRequest(String key, String from, String to, long amount, Instant sentAt) {
        if (retryEveryRequest) {
            return sendRequestRetried(key, from, to, amount, sentAt);
        }
        return submission(key, from, to, amount, sentAt, answer(key, from, to, amount));
    }

    /** The answer, or the exception that stood for it. */
    private Object answer(String key, String from, String to, long amount) {
        try {
            return platform.walletPay(key, from, to, amount, currency);
        } catch (RuntimeException e) {
            return e;
        }
    }

    private Submission submission(String key, String from, String to, long amount, Instant sentAt, Object answer) {
        if (answer instanceof HttpApi.Response response) {
            if (response.status() == 202) {
                return new Submission(Channel.HTTP, key, from, to, amount, currency, sentAt, Outcome.ACCEPTED,
                        response.json().get("paymentId").asText(), "202");
            }
            return new Submission(Channel.HTTP, key, from, to, amount, currency, sentAt,
                    response.status() >= 500 ? Outcome.UNCERTAIN : Outcome.REFUSED, null,
                    response.status() + " " + response.body());
        }
        return new Submission(Channel.HTTP, key, from, to, amount, currency, sentAt, Outcome.UNCERTAIN, null,
                answer.toString());
    }

    private Submission sendRequestRetried(String key, String from, String to, long amount, Instant sentAt) {
        CompletableFuture<Object> twin = CompletableFuture.supplyAsync(() -> answer(key, from, to, amount), duplicates);
        Object first = answer(key, from, to, amount);
        Object second = twin.join();
        Object after = answer(key, from, to, amount);
        synchronized (retries) {
            retries.add(new Retry(key, List.of(describe(first), describe(second)),
                    java.util.Arrays.asList(paymentId(first), paymentId(second)), describe(after), paymentId(after)));
        }
        // What the client learns: a 202 from any of the three, else the first answer
        for (Object answer : List.of(first, second, after)) {
            if (answer instanceof HttpApi.Response response && response.status() == 202) {
                return submission(key, from, to, amount, sentAt, answer);
            }
        }
        return submission(key, from, to, amount, sentAt, first);
    }

    private static String describe(Object answer) {
        if (answer instanceof HttpApi.Response response) {
            if (response.status() == 202) {
                return "202";
            }
            String body = response.body();
            int type = body.indexOf("urn:payledger:problem:");
            return response.status() + (type < 0 ? "" : " " + body.substring(type).replaceAll("[\",\\s}].*$", ""));
        }
        return "failed: " + answer;
    }

    private static String paymentId(Object answer) {
        return answer instanceof HttpApi.Response response && response.status() == 202
                ? response.json().get("paymentId").asText() : null;
    }

    private Submission sendCommand(String key, String from, String to, long amount, Instant sentAt) {
        InitiatePayment command = InitiatePayment.newBuilder().setCommandId(key).setSourceAccountId(from)
                .setDestinationAccountId(to).setAmountMinor(amount).setCurrency(currency).setReference("system test")
                .setRequestedAt(sentAt).build();
        try {
            kafka.send(commands.name(), from, serializer.serialize(commands.name(), command), Map.of());
            return new Submission(Channel.KAFKA, key, from, to, amount, currency, sentAt, Outcome.SENT, null, "sent");
        } catch (RuntimeException e) {
            return new Submission(Channel.KAFKA, key, from, to, amount, currency, sentAt, Outcome.UNCERTAIN, null,
                    e.toString());
        }
    }

    /** Every submission so far, in the order their answers came. */
    public List<Submission> submissions() {
        synchronized (submissions) {
            return List.copyOf(submissions);
        }
    }

    /** Submissions sent at or after {@code since} with this outcome. */
    public long count(Outcome outcome, Instant since) {
        return submissions().stream().filter(s -> s.outcome() == outcome && !s.sentAt().isBefore(since)).count();
    }

    @Override
    public void close() {
        if (!arrivals.isShutdown()) {
            stop();
        }
        kafka.close();
    }
}
