package io.payledger.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.springframework.core.NestedExceptionUtils;

class StartupRefusalTest {

    @Test
    void aClientWithoutScopesStopsTheServiceAtStartup() {
        // Given a configuration with a client that has an ID and a secret but no scopes
        // When the service starts
        Throwable failure = catchThrowable(() -> IdentityServiceApplication.application().run(
                "--server.port=0", "--management.server.port=0",
                "--payledger.identity.clients[0].id=ops-console",
                "--payledger.identity.clients[0].secret={noop}refused-s3cret"));

        // Then it does not start, and says why without repeating the secret
        assertThat(failure).isNotNull();
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
        assertThat(cause).hasMessageContaining("'ops-console' has no scopes");
        assertThat(CapturedLogs.all()).noneMatch(line -> line.contains("refused-s3cret"));
    }
}
