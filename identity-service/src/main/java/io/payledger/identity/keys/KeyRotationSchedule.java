package io.payledger.identity.keys;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Rotates the {@link SigningKeys} every {@code payledger.identity.key-rotation}, from start until stop. */
public final class KeyRotationSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KeyRotationSchedule.class);

    private final SigningKeys keys;
    private final Duration interval;
    private ScheduledExecutorService executor;

    public KeyRotationSchedule(SigningKeys keys, Duration interval) {
        this.keys = keys;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "identity-key-rotation");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(this::rotate, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void rotate() {
        try {
            keys.rotate();
        } catch (RuntimeException e) {
            // The current key keeps signing; the next run tries again.
            log.error("Scheduled signing key rotation failed; the current key keeps signing", e);
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                // A rotation under way finishes: after stop() the keys change no more.
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
