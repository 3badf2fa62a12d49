package io.payledger.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local stack's listening ports: chosen where no outgoing connection can take one before its service binds it. */
class StackPortsTest {

    @Test
    void portsAreDistinctFreeAndBelowEveryEphemeralRange() throws IOException {
        // Given as many ports as the local stack asks for
        int count = 2 + 2 * Service.values().length;

        // When they are chosen
        List<Integer> ports = SystemStack.freePorts(count);

        // Then they are distinct, below 32768 (Linux's first ephemeral port), and each can be bound now
        assertThat(ports).hasSize(count).doesNotHaveDuplicates()
                .allSatisfy(port -> assertThat(port).isBetween(SystemStack.LOWEST_PORT, SystemStack.HIGHEST_PORT - 1));
        assertThat(SystemStack.HIGHEST_PORT).isLessThanOrEqualTo(32_768);
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket(port)) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
