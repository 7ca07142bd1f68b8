package io.hazwatch.dist;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out loopback ports that were free a moment ago, never the same one twice. They come from
 * 20000..32767, below the kernel's ephemeral range, so an outgoing connection of another process
 * cannot take a port between the moment it is handed out and the moment a node binds it.
 */
final class PortAllocator {
    private static final int LOW = 20_000;
    private static final int HIGH = 32_767;

    private final Set<Integer> given = new HashSet<>();
    private int next = LOW + ThreadLocalRandom.current().nextInt(HIGH - LOW - 1000);

    int next() {
        for (int attempt = 0; attempt < HIGH - LOW; attempt++) {
            int p = next++;
            if (next > HIGH) {
                next = LOW;
            }
            if (given.contains(p)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
                given.add(p);
                return p;
            } catch (IOException e) {
                // taken: try the next one
                continue;
            }
        }
        throw new IllegalStateException("no free loopback port in " + LOW + ".." + HIGH);
    }
}
