package io.hazwatch.sync.link;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.util.concurrent.TimeUnit;

/**
 * The I/O threads a node's links run on, shared by its server and its uplink. Keeps the transport
 * library out of this module's API: callers only choose how many threads.
 */
public final class LinkTransport implements AutoCloseable {
    private final EventLoopGroup group;

    private LinkTransport(int threads) {
        this.group = new NioEventLoopGroup(threads);
    }

    /** A transport with {@code threads} I/O threads (1 or 2 is plenty for a node). */
    public static LinkTransport create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a transport needs at least one I/O thread, got " + threads);
        }
        return new LinkTransport(threads);
    }

    EventLoopGroup group() {
        return group;
    }

    /** Stops the I/O threads; links still open on them are closed. Idempotent. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
