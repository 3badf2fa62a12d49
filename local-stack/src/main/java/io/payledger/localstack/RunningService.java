package io.payledger.localstack;

import org.springframework.context.ConfigurableApplicationContext;

/** A service started by the local stack, and where it listens. */
public record RunningService(String name, ConfigurableApplicationContext context) {

    public int port() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "-1"));
    }

    public String url() {
        return "http://localhost:" + port();
    }
}
