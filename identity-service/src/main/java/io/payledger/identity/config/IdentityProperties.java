package io.payledger.identity.config;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The issuer's settings ({@code payledger.identity.*}). Every value is checked here, so a bad configuration stops
 * the service at startup instead of surfacing as refused tokens later. No message ever repeats a client secret.
 *
 * @param issuerUri   the {@code iss} of every token and the base of every endpoint URL the metadata names
 * @param audience    the {@code aud} of every token: what the resource servers expect
 * @param tokenTtl    how long an access token is valid
 * @param keyRotation how often a new signing key takes over
 * @param clients     the clients that may obtain tokens; none by default
 */
@ConfigurationProperties("payledger.identity")
public record IdentityProperties(URI issuerUri, String audience, Duration tokenTtl, Duration keyRotation,
        List<Client> clients) {

    public IdentityProperties {
        require(issuerUri != null, "payledger.identity.issuer-uri is required");
        require(issuerUri.isAbsolute() && ("http".equals(issuerUri.getScheme()) || "https".equals(issuerUri.getScheme()))
                        && issuerUri.getHost() != null && issuerUri.getRawQuery() == null && issuerUri.getRawFragment() == null,
                "payledger.identity.issuer-uri must be an http(s) URL without query or fragment, not '" + issuerUri + "'");
        require(audience != null && !audience.isBlank(), "payledger.identity.audience is required");
        require(tokenTtl != null && !tokenTtl.isNegative() && !tokenTtl.isZero(), "payledger.identity.token-ttl must be positive");
        require(keyRotation != null && !keyRotation.isNegative() && !keyRotation.isZero(), "payledger.identity.key-rotation must be positive");
        clients = clients == null ? List.of() : List.copyOf(clients);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < clients.size(); i++) {
            Client client = clients.get(i);
            require(client != null, "payledger.identity.clients[" + i + "] is empty");
            require(ids.add(client.id()), "payledger.identity.clients[" + i + "].id '" + client.id()
                    + "' is given twice");
        }
    }

    /**
     * One client allowed the client-credentials grant.
     *
     * @param id     the client ID, the {@code sub} of its tokens
     * @param secret its secret in DelegatingPasswordEncoder form: {@code {bcrypt}$2a$10$...} (preferred) or
     *               {@code {noop}plain-text}
     * @param scopes the scopes it may request; a request without {@code scope} gets all of them
     */
    public record Client(String id, String secret, List<String> scopes) {

        /** RFC 6749 scope-token characters. */
        private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
        private static final Pattern CLIENT_ID = Pattern.compile("[\\x20-\\x7E]+");
        private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}");

        public Client {
            require(id != null && !id.isBlank(), "a client in payledger.identity.clients has no id");
            require(CLIENT_ID.matcher(id).matches() && id.strip().equals(id),
                    "client id '" + id + "' must be printable ASCII without leading or trailing spaces");
            require(secret != null && !secret.isBlank(), "client '" + id + "' has no secret");
            if (secret.startsWith(ClientSecretForms.BCRYPT)) {
                require(BCRYPT.matcher(secret.substring(ClientSecretForms.BCRYPT.length())).matches(),
                        "client '" + id + "': the secret after {bcrypt} is not a BCrypt hash");
            } else if (secret.startsWith(ClientSecretForms.NOOP)) {
                require(secret.length() > ClientSecretForms.NOOP.length(), "client '" + id + "' has an empty secret");
            } else {
                require(false, "client '" + id + "': the secret must start with " + ClientSecretForms.BCRYPT
                        + " (a BCrypt hash) or " + ClientSecretForms.NOOP + " (plain text)");
            }
            require(scopes != null && !scopes.isEmpty(), "client '" + id + "' has no scopes");
            for (String scope : scopes) {
                require(scope != null && SCOPE.matcher(scope).matches(),
                        "client '" + id + "' has an invalid scope '" + scope + "'");
            }
            scopes = List.copyOf(scopes);
        }

        /** Never the secret: this record may end up in a log or an exception message. */
        @Override
        public String toString() {
            return "Client[id=" + id + ", scopes=" + scopes + "]";
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
