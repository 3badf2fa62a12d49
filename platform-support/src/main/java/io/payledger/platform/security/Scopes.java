package io.payledger.platform.security;

/**
 * The OAuth2 scopes of the platform's APIs (docs/SPEC.md, Security). A token's {@code scope} claim
 * grants them; each endpoint names the one it needs in its service's {@link EndpointScopes}.
 */
public final class Scopes {

    public static final String PAYMENTS_WRITE = "payments:write";
    public static final String PAYMENTS_READ = "payments:read";
    public static final String ACCOUNTS_WRITE = "accounts:write";
    public static final String ACCOUNTS_READ = "accounts:read";
    /** Reading any account's currency, type and owner (not its statement): payment-service's check at intake. */
    public static final String ACCOUNTS_LOOKUP = "accounts:lookup";
    public static final String LEDGER_READ = "ledger:read";
    public static final String NOTIFICATIONS_READ = "notifications:read";
    /** Subscribing webhooks to one's own accounts' notifications, and seeing and redriving their deliveries. */
    public static final String WEBHOOKS = "webhooks:manage";
    /** Operators: read every client's resources; open SYSTEM accounts. */
    public static final String OPS = "ops";
    /** Moving money out of SYSTEM accounts (which may go negative): minting, so never a customer's. */
    public static final String FUNDING = "funding";

    private Scopes() {
    }

    /** The Spring Security authority a scope becomes. */
    static String authority(String scope) {
        return "SCOPE_" + scope;
    }
}
