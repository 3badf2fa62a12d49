package io.payledger.identity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityPropertiesTest {

    private static final String HASH = "$2a$10$abcdefghijklmnopqrstuuIFTUi9k/2c2Nj1v6HsZj9ZzO1Xv5Hde";

    @Test
    void aClientNeedsAnIdASecretAndScopes() {
        // Given clients missing one of the three
        // When they are configured
        // Then each is refused, saying what is missing, without repeating the secret
        assertThatThrownBy(() -> new IdentityProperties.Client(" ", "{noop}s3cret-a", List.of("ops")))
                .hasMessageContaining("no id").hasMessageNotContaining("s3cret-a");
        assertThatThrownBy(() -> new IdentityProperties.Client("ops", "", List.of("ops")))
                .hasMessageContaining("'ops' has no secret");
        assertThatThrownBy(() -> new IdentityProperties.Client("ops", null, List.of("ops")))
                .hasMessageContaining("'ops' has no secret");
        assertThatThrownBy(() -> new IdentityProperties.Client("ops", "{noop}s3cret-b", List.of()))
                .hasMessageContaining("'ops' has no scopes").hasMessageNotContaining("s3cret-b");
        assertThatThrownBy(() -> new IdentityProperties.Client("ops", "{noop}s3cret-c", null))
                .hasMessageContaining("'ops' has no scopes");
        assertThatThrownBy(() -> new IdentityProperties.Client("ops", "{noop}", List.of("ops")))
                .hasMessageContaining("empty secret");
    }

    @Test
    void aSecretIsBcryptOrNoopAndNeverRepeated() {
        // Given secrets in forms other than {bcrypt}<hash> and {noop}<text>
        // When they are configured
        // Then they are refused, naming the accepted forms, never the secret
        assertThatThrownBy(() -> new IdentityProperties.Client("ops", "plain-s3cret", List.of("ops")))
                .hasMessageContaining("{bcrypt}").hasMessageContaining("{noop}").hasMessageNotContaining("plain-s3cret");
        assertThatThrownBy(() -> new IdentityProperties.Client("ops", "{sha256}s3cret", List.of("ops")))
                .hasMessageContaining("{bcrypt}").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> new IdentityProperties.Client("ops", "{bcrypt}not-a-hash", List.of("ops")))
                .hasMessageContaining("not a BCrypt hash").hasMessageNotContaining("not-a-hash");
        // and the accepted forms are accepted, the secret left out of toString
        IdentityProperties.Client client = new IdentityProperties.Client("ops", "{bcrypt}" + HASH, List.of("ops"));
        assertThat(client.toString()).contains("ops").doesNotContain(HASH);
        assertThat(new IdentityProperties.Client("ops", "{noop}s3cret", List.of("ops")).toString())
                .doesNotContain("s3cret");
    }

    @Test
    void scopesAreScopeTokens() {
        assertThatThrownBy(() -> new IdentityProperties.Client("ops", "{noop}x", List.of("payments:read ledger:read")))
                .hasMessageContaining("invalid scope");
        assertThatThrownBy(() -> new IdentityProperties.Client("ops", "{noop}x", List.of("")))
                .hasMessageContaining("invalid scope");
    }

    @Test
    void aClientIdIsGivenOnce() {
        IdentityProperties.Client one = new IdentityProperties.Client("ops", "{noop}a", List.of("ops"));
        IdentityProperties.Client two = new IdentityProperties.Client("ops", "{noop}b", List.of("funding"));
        assertThatThrownBy(() -> properties(List.of(one, two))).hasMessageContaining("'ops' is given twice");
    }

    @Test
    void theIssuerIsAnHttpUrlAndDurationsArePositive() {
        assertThatThrownBy(() -> new IdentityProperties(URI.create("localhost:9000"), "payledger", Duration.ofMinutes(5),
                Duration.ofHours(24), List.of())).hasMessageContaining("issuer-uri");
        assertThatThrownBy(() -> new IdentityProperties(URI.create("http://localhost:9000?x=1"), "payledger",
                Duration.ofMinutes(5), Duration.ofHours(24), List.of())).hasMessageContaining("issuer-uri");
        assertThatThrownBy(() -> new IdentityProperties(URI.create("http://localhost:9000"), " ", Duration.ofMinutes(5),
                Duration.ofHours(24), List.of())).hasMessageContaining("audience");
        assertThatThrownBy(() -> new IdentityProperties(URI.create("http://localhost:9000"), "payledger", Duration.ZERO,
                Duration.ofHours(24), List.of())).hasMessageContaining("token-ttl");
        assertThatThrownBy(() -> new IdentityProperties(URI.create("http://localhost:9000"), "payledger",
                Duration.ofMinutes(5), Duration.ofSeconds(-1), List.of())).hasMessageContaining("key-rotation");
        // and no clients at all is a valid (if useless) configuration: production ships that way
        assertThat(properties(null).clients()).isEmpty();
    }

    private static IdentityProperties properties(List<IdentityProperties.Client> clients) {
        return new IdentityProperties(URI.create("http://localhost:9000"), "payledger", Duration.ofMinutes(5),
                Duration.ofHours(24), clients);
    }
}
