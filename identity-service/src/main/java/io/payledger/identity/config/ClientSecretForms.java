package io.payledger.identity.config;

/** The prefixes a configured client secret may carry, as Spring Security's DelegatingPasswordEncoder writes them. */
public final class ClientSecretForms {

    public static final String BCRYPT = "{bcrypt}";
    public static final String NOOP = "{noop}";

    private ClientSecretForms() {
    }
}
