package io.payledger.infra;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports free right now, for a server that binds them a little later, chosen below the ephemeral range of Linux
 * (32768-60999), macOS and Windows (49152-65535), from which every outgoing connection takes its local port. A port
 * the OS hands out as free ({@code new ServerSocket(0)}) is ephemeral, and in the seconds between choosing it and a
 * service binding it, one of the broker's or another service's own connections took it (seen: notification-service
 * failing to start with "Port 44169 was already in use").
 */
public final class FreePorts {

    public static final int LOWEST_PORT = 20_000;
    public static final int HIGHEST_PORT = 32_000;

    private FreePorts() {
    }

    public static int pick() {
        return pick(1).get(0);
    }

    /** The given port if it is set (above 0), otherwise a free one. */
    public static int orPick(int port) {
        return port > 0 ? port : pick();
    }

    /** Distinct free ports: all held open together while chosen, so no two are the same. */
    public static List<Integer> pick(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        int span = HIGHEST_PORT - LOWEST_PORT;
        int start = ThreadLocalRandom.current().nextInt(span);
        try {
            for (int i = 0; i < span && sockets.size() < count; i++) {
                int port = LOWEST_PORT + (start + i) % span;
                try {
                    sockets.add(new ServerSocket(port));
                } catch (IOException inUse) {
                    // taken: try the next
                }
            }
            if (sockets.size() < count) {
                throw new IllegalStateException("only " + sockets.size() + " of " + count + " ports free in "
                        + LOWEST_PORT + "-" + HIGHEST_PORT);
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // it was only held to reserve the number
                }
            }
        }
    }
}
