package io.payledger.notification.delivery;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.payledger.notification.domain.ClaimedDelivery;
import io.payledger.notification.domain.DeliveryPolicy;
import io.payledger.notification.domain.WebhookDelivery;
import io.payledger.notification.domain.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Works off the delivery log: one poller claims due deliveries (as many as there are idle workers) and hands
 * them to a pool of workers shared by every endpoint, each call going through its endpoint's bulkhead and circuit
 * breaker. The poller waits between rounds only when there was nothing to claim or no worker free; a finished
 * delivery wakes it. Every decision is written back to the row, so a restart (or another instance) carries on.
 */
public final class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    /**
     * The least time between two claim rounds, however often the dispatcher is woken: a round is a query over the
     * due deliveries, and woken by every notification and every finished call it would run one per delivery.
     */
    static final Duration MIN_ROUND_GAP = Duration.ofMillis(20);

    private final WebhookStore store;
    private final WebhookEndpoints endpoints;
    private final DeliveryPolicy policy;
    private final DeliveryMetrics metrics;
    private final WebhookSettings settings;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private boolean woken;

    private volatile boolean running;
    private Thread poller;
    private ExecutorService workers;
    private Semaphore idleWorkers;

    public WebhookDispatcher(WebhookStore store, WebhookEndpoints endpoints, DeliveryPolicy policy,
                             DeliveryMetrics metrics, WebhookSettings settings, Clock clock) {
        this.store = store;
        this.endpoints = endpoints;
        this.policy = policy;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        AtomicInteger threads = new AtomicInteger();
        workers = Executors.newFixedThreadPool(settings.workers(), task -> {
            Thread thread = new Thread(task, "webhook-worker-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        idleWorkers = new Semaphore(settings.workers());
        running = true;
        poller = new Thread(this::poll, "webhook-dispatcher");
        poller.setDaemon(true);
        poller.start();
        log.info("Webhook dispatcher started: {} workers, {} concurrent calls per endpoint", settings.workers(),
                settings.maxConcurrentCalls());
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        wake();
        try {
            poller.join(TimeUnit.SECONDS.toMillis(10));
            // Calls in flight are abandoned: their deliveries stay leased and fall due again after the lease.
            workers.shutdownNow();
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Webhook dispatcher stopped");
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Look for due deliveries now rather than at the next poll. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void poll() {
        while (running) {
            long roundStarted = System.nanoTime();
            boolean mayBeMore = false;
            try {
                mayBeMore = claimRound();
            } catch (RuntimeException e) {
                log.warn("Claiming due webhook deliveries failed; trying again in {}: {}", settings.pollInterval(),
                        e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!mayBeMore) {
                awaitWakeUp();
            }
            long nextRound = roundStarted + MIN_ROUND_GAP.toNanos();
            while (running && System.nanoTime() < nextRound) {
                LockSupport.parkNanos(nextRound - System.nanoTime());
            }
        }
    }

    /** One round; true if it filled every idle worker, so more may be due right away. */
    private boolean claimRound() throws InterruptedException {
        int idle = idleWorkers.availablePermits();
        if (idle == 0) {
            return false;
        }
        Instant now = clock.instant();
        List<ClaimedDelivery> claimed = store.claimDue(now, now.plus(policy.lease()), idle, endpoints.unavailable());
        for (ClaimedDelivery delivery : claimed) {
            idleWorkers.acquire();
            workers.execute(() -> {
                try {
                    deliver(delivery);
                } catch (RuntimeException e) {
                    // The row stays leased and falls due again after the lease.
                    log.warn("Webhook delivery {} could not be recorded: {}", delivery.delivery().deliveryId(),
                            e.toString());
                } finally {
                    idleWorkers.release();
                    wake();
                }
            });
        }
        return !claimed.isEmpty() && claimed.size() == idle;
    }

    private void awaitWakeUp() {
        lock.lock();
        try {
            if (!woken && running) {
                wakeUp.await(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /** One attempt, unless the endpoint's bulkhead is full or its breaker open: then the delivery just waits. */
    void deliver(ClaimedDelivery claimed) {
        WebhookDelivery delivery = claimed.delivery();
        Bulkhead bulkhead = endpoints.bulkhead(delivery.subscriptionId());
        if (!bulkhead.tryAcquirePermission()) {
            store.reschedule(delivery.deliveryId(), clock.instant().plus(settings.pollInterval()));
            metrics.count(DeliveryMetrics.Outcome.BULKHEAD_FULL);
            return;
        }
        try {
            CircuitBreaker breaker = endpoints.breaker(delivery.subscriptionId());
            if (!breaker.tryAcquirePermission()) {
                // Not an attempt: due again when the breaker lets trial calls through.
                store.reschedule(delivery.deliveryId(), clock.instant().plus(settings.breakerOpenDuration()));
                metrics.count(DeliveryMetrics.Outcome.BREAKER_OPEN);
                return;
            }
            attempt(claimed, breaker);
        } finally {
            bulkhead.onComplete();
        }
    }

    private void attempt(ClaimedDelivery claimed, CircuitBreaker breaker) {
        WebhookDelivery delivery = claimed.delivery();
        int attempts = delivery.attempts() + 1;
        long started = System.nanoTime();
        String error;
        try {
            int status = endpoints.post(claimed, clock.instant().getEpochSecond());
            long took = System.nanoTime() - started;
            if (status >= 200 && status < 300) {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                Instant now = clock.instant();
                if (store.markDelivered(delivery.deliveryId(), attempts, now)) {
                    metrics.delivered(Duration.between(delivery.createdAt(), now));
                }
                return;
            }
            error = "HTTP " + status;
            breaker.onError(took, TimeUnit.NANOSECONDS, new IllegalStateException(error));
        } catch (InterruptedException e) {
            // Shutting down: the call is abandoned, not failed; the lease brings it back.
            breaker.releasePermission();
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            error = cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException
                    ? "timed out" : describe(cause);
            breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, cause);
        }
        failed(delivery, attempts, error);
    }

    /** What went wrong, for the delivery's last error: the JDK's connect failures carry no message. */
    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private void failed(WebhookDelivery delivery, int attempts, String error) {
        Instant now = clock.instant();
        DeliveryPolicy.Outcome next = policy.afterFailure(attempts, now);
        if (next instanceof DeliveryPolicy.Retry) {
            store.markFailed(delivery.deliveryId(), attempts, error, ((DeliveryPolicy.Retry) next).at());
            metrics.count(DeliveryMetrics.Outcome.FAILED);
        } else {
            store.markDead(delivery.deliveryId(), attempts, error, now);
            metrics.count(DeliveryMetrics.Outcome.DEAD);
            log.warn("Webhook delivery {} to subscription {} is dead after {} attempts: {}", delivery.deliveryId(),
                    delivery.subscriptionId(), attempts, error);
        }
    }
}
