package io.hazwatch.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Hands out loopback ports that were free a moment ago, never the same one twice. */
final class PortAllocator {
    private final Set<Integer> given = new HashSet<>();

    int next() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int p = s.getLocalPort();
                if (given.add(p)) {
                    return p;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free loopback port", e);
            }
        }
        throw new IllegalStateException("no free loopback port after 100 attempts");
    }
}
