package io.payledger.ops;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Progress of a long command: while a command runs longer than {@link #INTERVAL} a line every
 * {@link #INTERVAL} saying what it is doing (and how far, where it can count), so an operator can
 * tell a slow run from a hung one. Quiet for commands that finish sooner.
 */
final class Progress implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofSeconds(5);

    private final PrintStream out;
    private final String command;
    private final long started = System.nanoTime();
    private final AtomicLong count = new AtomicLong();
    private final ScheduledExecutorService ticker;
    private volatile String stage = "connecting";
    private volatile LongFunction<String> detail = n -> "";

    Progress(PrintStream out, String command) {
        this.out = out;
        this.command = command;
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "payledger-ops-progress");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(this::report, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Now doing {@code what}; nothing counted. */
    void stage(String what) {
        stage(what, n -> "");
    }

    /** Now doing {@code what}; {@code detail} says how far, from the count ({@link #add}). */
    void stage(String what, LongFunction<String> howFar) {
        count.set(0);
        detail = howFar;
        stage = what;
    }

    void add(long done) {
        count.addAndGet(done);
    }

    /** Seconds since the command started, to one decimal. */
    String elapsed() {
        return String.format("%.1f s", (System.nanoTime() - started) / 1e9);
    }

    private void report() {
        String howFar = detail.apply(count.get());
        synchronized (out) {
            out.printf("  ... %s: %s%s (%s)%n", command, stage, howFar.isEmpty() ? "" : ", " + howFar, elapsed());
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
