package io.payledger.systemtest;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service as its own OS process: {@code java <flags> -jar <module>-exec.jar} with the service's environment
 * variables, its standard output and error appended to one log file per service (every start of it, each after a
 * banner line). Ready when its management port answers {@code /actuator/health/readiness} with 200. Its ports are
 * fixed before the first start, so a restart listens where the killed process did.
 */
final class ServiceProcess {

    private static final Logger log = LoggerFactory.getLogger(ServiceProcess.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Service service;
    private final Path jar;
    private final List<String> jvmFlags;
    private final Map<String, String> environment;
    private final Path logFile;
    private final int port;
    private final int managementPort;
    private Process process;
    private Instant startedAt;

    ServiceProcess(Service service, Path jar, List<String> jvmFlags, Map<String, String> environment, Path logFile,
                   int port, int managementPort) {
        this.service = service;
        this.jar = jar;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
        this.port = port;
        this.managementPort = managementPort;
    }

    Service service() {
        return service;
    }

    String url() {
        return "http://localhost:" + port;
    }

    String managementUrl() {
        return "http://localhost:" + managementPort;
    }

    Path logFile() {
        return logFile;
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(service + " has not been started");
        }
        return process.pid();
    }

    /** Starts the process; does not wait for it to be ready. */
    synchronized void start() {
        if (alive()) {
            throw new IllegalStateException(service + " is running already (pid " + process.pid() + ")");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // Only what a service is given, not whatever the test JVM's environment holds (an external stack's DATABASE_URL...).
        Map<String, String> env = builder.environment();
        env.keySet().retainAll(List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR", "JAVA_HOME"));
        env.putAll(environment);
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "%n===== %s: %s starting: %s%n".formatted(Instant.now(), service,
                    String.join(" ", command)), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + service + " (" + jar + ")", e);
        }
        startedAt = Instant.now();
        log.info("{} started as pid {} (ports {} and {}), logging to {}", service, process.pid(), port, managementPort,
                logFile);
    }

    /** Waits until the readiness probe answers 200; fails at once, with the log's tail, if the process exits. */
    void awaitReady(Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(this::ready);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(service + " was not ready within " + timeout + "; last lines of " + logFile
                    + ":\n" + tail(80), e);
        }
        // CPU time says what the start costs whatever else the machine is doing (wall time on a busy machine does not).
        log.info("{} ready in {} ms, {} ms of CPU", service, Duration.between(startedAt, Instant.now()).toMillis(),
                cpuTime().map(Duration::toMillis).map(String::valueOf).orElse("?"));
    }

    /** CPU time the current process has used so far, where the OS tells. */
    synchronized Optional<Duration> cpuTime() {
        return process == null ? Optional.empty() : process.toHandle().info().totalCpuDuration();
    }

    private boolean ready() {
        Process current;
        synchronized (this) {
            current = process;
        }
        if (current == null || !current.isAlive()) {
            throw new IllegalStateException(service + " exited" + (current == null ? "" : " with " + current.exitValue())
                    + " before it was ready; last lines of " + logFile + ":\n" + tail(80));
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(managementUrl() + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL (on Unix {@link Process#destroyForcibly()} is {@code kill -9}): no shutdown hook, no graceful close. */
    synchronized void kill() {
        if (!alive()) {
            throw new IllegalStateException(service + " is not running");
        }
        log.info("SIGKILL {} (pid {})", service, process.pid());
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGKILL if it runs, without waiting: for a JVM on its way out. */
    synchronized void killIfAlive() {
        if (alive()) {
            process.destroyForcibly();
        }
    }

    /** SIGTERM, a graceful shutdown; SIGKILL if it takes longer than {@code grace}. */
    void stop(Duration grace) {
        terminate();
        awaitStopped(grace);
    }

    /** Sends SIGTERM and returns at once (stopping several together, then {@link #awaitStopped}). */
    synchronized void terminate() {
        if (alive()) {
            process.destroy();
        }
    }

    /** Waits for a terminated process to exit; SIGKILL after {@code grace}. */
    synchronized void awaitStopped(Duration grace) {
        if (process == null) {
            return;
        }
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} did not stop within {}; killing it", service, grace);
                process.destroyForcibly();
                awaitExit(Duration.ofSeconds(30));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(service + " (pid " + process.pid() + ") still runs " + timeout
                        + " after it was killed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last lines this service logged, over all its starts. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(could not read " + logFile + ": " + e + ")";
        }
    }
}
