package io.payledger.demo;

import java.util.List;

/**
 * The demo's OAuth2 clients, registered with the local stack's identity-service and documented in the
 * README. Demo secrets: never register these with an issuer anyone else can reach.
 *
 * @see io.payledger.demo.ClientCredentials
 */
public final class DemoClients {

    /** A wallet app: owns alice, bob and carol's accounts and moves their money. */
    public static final String WALLET = "demo-wallet";
    public static final String WALLET_SECRET = "demo-wallet-secret";
    public static final List<String> WALLET_SCOPES = List.of("payments:write", "payments:read", "accounts:write",
            "accounts:read", "ledger:read", "notifications:read", "webhooks:manage");

    /** An operator: opens the settlement accounts, funds customers from them, reads everything. */
    public static final String OPERATOR = "demo-operator";
    public static final String OPERATOR_SECRET = "demo-operator-secret";
    public static final List<String> OPERATOR_SCOPES = List.of("ops", "funding", "payments:write", "payments:read",
            "accounts:write", "accounts:read", "ledger:read", "notifications:read", "webhooks:manage");

    private DemoClients() {
    }
}
