package io.payledger.systemtest.load;

import io.payledger.systemtest.SystemStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The load generator from the command line ({@code ./run-load.sh -Drate=1000 -Dduration=120s ...}, README "Load"):
 * starts a local stack (each service its own process), or uses the one {@code SYSTEM_STACK=external} names, runs
 * {@link LoadGenerator} with the options the system properties give ({@link LoadOptions#from}), prints progress on
 * stderr and one JSON summary line on stdout. Exit code 0, or 1 if a payment was lost or settled twice.
 *
 * <p>Local stack only: {@code -DrateLimit} (default 100000) is each client's rate limit a second per service (the
 * platform's default, 500, would otherwise be what is measured), {@code -DkafkaPartitions} (default 3) every topic's
 * partitions, {@code -DstartupTimeout} (default 8m) how long each process may take to be ready, and the services'
 * JVM flags are {@link #JVM_FLAGS} unless
 * {@code -Dpayledger.system-stack.jvm-flags="..."} (every service) or
 * {@code -Dpayledger.system-stack.jvm-flags.<module>="..."} (one) says otherwise. {@code -Dtimeline=<file>} writes the
 * run second by second as CSV. {@code -Dwarmup=60s} first runs the same load that long (its summary on stderr), so
 * the measured run starts with the services' code compiled (a cold start's JIT shows as seconds of latency).
 */
public final class LoadMain {

    /** Services' JVM flags for a load run: the full JIT and a parallel collector, unlike the tests' quick start. */
    public static final List<String> JVM_FLAGS = List.of("-Xms256m", "-Xmx1g", "-XX:+UseParallelGC",
            "-XX:+ExitOnOutOfMemoryError");

    /** System properties {@code env.NAME=value} set the services' variable NAME (local stack only). */
    static final String ENV_PREFIX = "env.";

    private LoadMain() {
    }

    public static void main(String[] args) throws IOException {
        LoadOptions options = LoadOptions.from(System::getProperty);
        int exitCode;
        try (SystemStack stack = SystemStack.start(stackOptions(), System.getenv())) {
            java.time.Duration warmup = LoadOptions.parseDuration(System.getProperty("warmup", "0s"));
            if (!warmup.isZero()) {
                // The same load for a while first, so the measured run meets compiled code and filled caches.
                LoadSummary warm = LoadGenerator.run(stack, options.withRate(options.rate(), warmup));
                System.err.println("warm-up: " + warm.toJson());
            }
            LoadSummary summary = LoadGenerator.run(stack, options);
            String timeline = System.getProperty("timeline");
            if (timeline != null && !timeline.isBlank()) {
                List<String> lines = new ArrayList<>(List.of("second,scheduled,accepted,final"));
                summary.timeline().seconds().forEach(s -> lines.add(s.second() + "," + s.scheduled() + ","
                        + s.accepted() + "," + s.finals()));
                Files.write(Path.of(timeline), lines);
            }
            System.out.println(summary.toJson());
            System.out.flush();
            exitCode = summary.lost() == 0 && summary.duplicates() == 0 && summary.duplicatePayments() == 0 ? 0 : 1;
        }
        System.exit(exitCode);
    }

    static SystemStack.Options stackOptions() {
        SystemStack.Options defaults = SystemStack.Options.defaults();
        String everyService = System.getProperty(SystemStack.JVM_FLAGS_PROPERTY);
        List<String> flags = everyService == null || everyService.isBlank() ? JVM_FLAGS : defaults.jvmFlags();
        String rateLimit = System.getProperty("rateLimit", "100000");
        Map<String, String> environment = new HashMap<>(defaults.environment());
        environment.put("RATE_LIMIT_PER_SECOND", rateLimit);
        environment.put("RATE_LIMIT_BURST", String.valueOf(2 * Long.parseLong(rateLimit)));
        // -Denv.FRAUD_COMMIT_INTERVAL=25ms: any service variable, to compare settings run against run.
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(ENV_PREFIX))
                .forEach(name -> environment.put(name.substring(ENV_PREFIX.length()), System.getProperty(name)));
        int partitions = Integer.parseInt(System.getProperty("kafkaPartitions",
                String.valueOf(defaults.kafkaPartitions())));
        java.time.Duration startupTimeout = LoadOptions.parseDuration(System.getProperty("startupTimeout",
                defaults.startupTimeout().toSeconds() * 2 + "s"));
        return new SystemStack.Options(flags, defaults.serviceJvmFlags(), environment, startupTimeout, partitions,
                defaults.producers());
    }
}
