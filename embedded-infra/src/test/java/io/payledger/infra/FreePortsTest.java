package io.payledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ports for servers that bind later: chosen where no outgoing connection can take one first. */
class FreePortsTest {

    @Test
    void portsAreDistinctFreeAndBelowEveryEphemeralRange() throws IOException {
        // Given as many ports as the system tests' stack asks for (broker, database, two for each of five services)
        int count = 12;

        // When they are chosen
        List<Integer> ports = FreePorts.pick(count);

        // Then they are distinct, below 32768 (Linux's first ephemeral port), and each can be bound now
        assertThat(ports).hasSize(count).doesNotHaveDuplicates()
                .allSatisfy(port -> assertThat(port).isBetween(FreePorts.LOWEST_PORT, FreePorts.HIGHEST_PORT - 1));
        assertThat(FreePorts.HIGHEST_PORT).isLessThanOrEqualTo(32_768);
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket(port)) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
