package io.payledger.systemtest;

/**
 * The platform's processes: the issuer and the four services, each its module's executable jar, with the
 * environment variables that name its ports (README, Configuration).
 */
public enum Service {

    IDENTITY("identity-service", "IDENTITY"),
    LEDGER("ledger-service", "LEDGER"),
    PAYMENT("payment-service", "PAYMENT"),
    FRAUD("fraud-service", "FRAUD"),
    NOTIFICATION("notification-service", "NOTIFICATION");

    private final String module;
    private final String variablePrefix;

    Service(String module, String variablePrefix) {
        this.module = module;
        this.variablePrefix = variablePrefix;
    }

    /** The Maven module, and the name the service goes by (logs, {@code spring.application.name}). */
    public String module() {
        return module;
    }

    /** {@code PAYMENT_PORT} and the like: the public HTTP port's variable. */
    public String portVariable() {
        return variablePrefix + "_PORT";
    }

    /** {@code PAYMENT_MANAGEMENT_PORT} and the like: health, readiness and metrics. */
    public String managementPortVariable() {
        return variablePrefix + "_MANAGEMENT_PORT";
    }

    /** {@code PAYMENT_URL} and the like: where an external stack's service answers. */
    public String urlVariable() {
        return variablePrefix + "_URL";
    }

    @Override
    public String toString() {
        return module;
    }
}
