package io.payledger.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Where the time went while a scenario ran, so a figure comes with its limit: CPU used by this JVM
 * (ledger-service, its relay and the Kafka broker) against the whole machine (the rest is mostly
 * PostgreSQL), what PostgreSQL's busy backends were waiting on (sampled every 20 ms), and the
 * statements it spent its time in ({@code pg_stat_statements}).
 */
final class ResourceProfile {

    /** Linux reports /proc/stat in USER_HZ, 100 on every mainstream architecture. */
    private static final double TICKS_PER_SECOND = 100;

    private final DataSource dataSource;
    private final Map<String, AtomicLong> waits = new ConcurrentHashMap<>();
    private final AtomicLong samples = new AtomicLong();
    private final long startedNanos;
    private final long machineBusyTicksAtStart;
    private final long jvmCpuNanosAtStart;
    private final Map<Long, Long> threadCpuNanosAtStart;
    private final Connection samplerConnection;
    private final ScheduledExecutorService sampler;

    private ResourceProfile(DataSource dataSource) throws SQLException {
        this.dataSource = dataSource;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_statements_reset()");
        }
        this.startedNanos = System.nanoTime();
        this.machineBusyTicksAtStart = machineBusyTicks();
        this.jvmCpuNanosAtStart = jvmCpuNanos();
        this.threadCpuNanosAtStart = threadCpuNanos();
        this.samplerConnection = dataSource.getConnection();
        this.sampler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "wait-event-sampler");
            thread.setDaemon(true);
            return thread;
        });
        this.sampler.scheduleWithFixedDelay(this::sampleWaitEvents, 0, 20, TimeUnit.MILLISECONDS);
    }

    /** Needs {@code shared_preload_libraries=pg_stat_statements} on the server. */
    static void install(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        }
    }

    static ResourceProfile start(DataSource dataSource) throws SQLException {
        return new ResourceProfile(dataSource);
    }

    /** Stops sampling; prints the statements to stderr and returns the CPU split and top wait events. */
    Map<String, Object> stop(String label) throws Exception {
        sampler.shutdown();
        sampler.awaitTermination(10, TimeUnit.SECONDS);
        samplerConnection.close();
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        double machineCores = (machineBusyTicks() - machineBusyTicksAtStart) / TICKS_PER_SECOND / seconds;
        double jvmCores = (jvmCpuNanos() - jvmCpuNanosAtStart) / 1e9 / seconds;
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("machine_busy_cores", round(machineCores));
        profile.put("jvm_cores", round(jvmCores));
        profile.put("postgres_and_other_cores", round(Math.max(0, machineCores - jvmCores)));
        profile.put("jvm_cores_by_role", jvmCoresByRole(seconds, jvmCores));
        profile.put("db_waits", topWaits());
        printStatements(label);
        return profile;
    }

    /** One sample of what PostgreSQL's busy client backends are doing, on the sampler's own connection. */
    private void sampleWaitEvents() {
        samples.incrementAndGet();
        try (Statement s = samplerConnection.createStatement();
             ResultSet r = s.executeQuery("""
                     SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS what, count(*)
                       FROM pg_stat_activity
                      WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()
                      GROUP BY 1""")) {
            while (r.next()) {
                waits.computeIfAbsent(r.getString(1), k -> new AtomicLong()).addAndGet(r.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("sampling wait events failed", e);
        }
    }

    /** Average number of backends in each state (CPU or a wait event), busiest first. */
    private String topWaits() {
        long n = Math.max(1, samples.get());
        return waits.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().get(), a.getValue().get()))
                .limit(5)
                .map(e -> String.format(Locale.ROOT, "%s=%.2f", e.getKey(), e.getValue().get() / (double) n))
                .collect(Collectors.joining(" "));
    }

    private void printStatements(String label) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("""
                     SELECT calls, total_exec_time, rows,
                            left(regexp_replace(query, '\\s+', ' ', 'g'), 100) AS query
                       FROM pg_stat_statements
                      ORDER BY total_exec_time DESC
                      LIMIT 8""")) {
            System.err.printf(Locale.ROOT, "[bench] %s: top statements by PostgreSQL execution time%n", label);
            System.err.printf(Locale.ROOT, "[bench]   %9s %10s %10s %11s  %s%n", "calls", "total ms", "mean ms",
                    "rows", "statement");
            while (r.next()) {
                long calls = r.getLong("calls");
                double total = r.getDouble("total_exec_time");
                System.err.printf(Locale.ROOT, "[bench]   %9d %10.0f %10.3f %11d  %s%n", calls, total,
                        total / Math.max(1, calls), r.getLong("rows"), r.getString("query"));
            }
        }
    }

    /**
     * This JVM's CPU split by what its threads do; what no Java thread accounts for is the JVM's own
     * work (garbage collection, JIT compilation).
     */
    private String jvmCoresByRole(double seconds, double jvmCores) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Double> cores = new LinkedHashMap<>();
        double accounted = 0;
        for (Map.Entry<Long, Long> thread : threadCpuNanos().entrySet()) {
            ThreadInfo info = threads.getThreadInfo(thread.getKey());
            if (info == null) {
                continue;
            }
            double used = (thread.getValue() - threadCpuNanosAtStart.getOrDefault(thread.getKey(), 0L)) / 1e9 / seconds;
            cores.merge(role(info.getThreadName()), used, Double::sum);
            accounted += used;
        }
        cores.merge("gc_and_jit", Math.max(0, jvmCores - accounted), Double::sum);
        return cores.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .map(e -> String.format(Locale.ROOT, "%s=%.2f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(" "));
    }

    private static String role(String threadName) {
        if (threadName.startsWith("fraudDecisionContainer")) {
            return "ledger_consumer";
        }
        if (threadName.startsWith("relay-")) {
            return "ledger_relay";
        }
        if (threadName.startsWith("kafka-producer-network-thread")) {
            return "producer_io";
        }
        if (threadName.startsWith("data-plane-kafka") || threadName.startsWith("kafka-")
                || threadName.startsWith("quorum-") || threadName.startsWith("group-coordinator")
                || threadName.startsWith("TxnMarker") || threadName.startsWith("AddPartitionsToTxn")
                || threadName.startsWith("ExpirationReaper") || threadName.startsWith("broker-")
                || threadName.startsWith("LogDirFailureHandler") || threadName.startsWith("raft-")) {
            return "kafka_broker";
        }
        return "other";
    }

    private static Map<Long, Long> threadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long nanos = threads.getThreadCpuTime(id);
            if (nanos >= 0) {
                cpu.put(id, nanos);
            }
        }
        return cpu;
    }

    /** Busy time of every CPU since boot: user, nice, system, irq, softirq and steal; not idle or iowait. */
    private static long machineBusyTicks() {
        try {
            List<String> cpu = List.of(Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+"));
            long busy = 0;
            for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(cpu.get(field));
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0; // not Linux: the CPU split reads as zero rather than failing the benchmark
        }
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
