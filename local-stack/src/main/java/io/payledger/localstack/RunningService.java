package io.payledger.localstack;

import org.springframework.context.ConfigurableApplicationContext;

/** A service started by the local stack, and where it listens: its API, and its management port (health, metrics). */
public record RunningService(String name, ConfigurableApplicationContext context) {

    public int port() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "-1"));
    }

    public String url() {
        return "http://localhost:" + port();
    }

    /** Health, readiness and Prometheus; the same as {@link #url()} for a service without a port of its own for them. */
    public String managementUrl() {
        return "http://localhost:" + context.getEnvironment().getProperty("local.management.port",
                Integer.toString(port()));
    }
}
