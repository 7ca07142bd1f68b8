package io.hazwatch.sims.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A TCP proxy that behaves like a satellite or narrow-band link: clients connect to {@link #port()}, each
 * connection is relayed to the upstream address, and the bytes in each direction go through a bandwidth cap, a
 * one-way delay, jitter and a bounded modem buffer ({@link LinkProfile}), and stop during outages
 * ({@link OutageKind}). No byte is ever dropped silently: a full buffer stops reading from the sender (TCP
 * backpressure), a fade holds bytes until the link is back, and only a reset connection loses what it had queued.
 *
 * <pre>{@code
 * try (LinkSimulator link = LinkSimulator.start(LinkProfile.VSAT_256K, parent.address())) {
 *     child.connectTo(link.address());
 *     link.outage(Duration.ofSeconds(10));          // a 10 s rain fade
 *     ... link.stats().upstream().bytesDelivered() ...
 * }
 * }</pre>
 *
 * <p>Threading: one platform thread per simulator runs an NIO selector loop that owns every connection. The
 * methods here may be called from any thread. Those that change the link ({@link #setProfile}, {@link #down},
 * {@link #up}, {@link #outage}, {@link #setOutageSchedule}) hand the change to the loop and return once it has
 * been applied, so a test may rely on it; each has an {@code ...Async} twin that returns at once. {@link #stats()}
 * and {@link #state()} read volatile counters and never wait.
 */
public final class LinkSimulator implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final LinkLoop loop;
    private final Thread thread;
    private final InetSocketAddress address;
    private final InetSocketAddress upstream;

    private LinkSimulator(LinkLoop loop, InetSocketAddress address, InetSocketAddress upstream) {
        this.loop = loop;
        this.address = address;
        this.upstream = upstream;
        this.thread = new Thread(loop, "hazwatch-link-" + address.getPort());
        this.thread.setDaemon(true);
    }

    /**
     * Listens on an ephemeral port of 127.0.0.1 and relays to {@code upstream} with {@code profile}, no scheduled
     * outages, seed 1.
     *
     * @throws UncheckedIOException if the port cannot be opened
     */
    public static LinkSimulator start(LinkProfile profile, InetSocketAddress upstream) {
        return builder(upstream).profile(profile).start();
    }

    public static Builder builder(InetSocketAddress upstream) {
        return new Builder(upstream);
    }

    /** The port clients connect to. */
    public int port() {
        return address.getPort();
    }

    /** The address clients connect to. */
    public InetSocketAddress address() {
        return address;
    }

    public InetSocketAddress upstream() {
        return upstream;
    }

    public LinkProfile profile() {
        return loop.profile();
    }

    public LinkState state() {
        return loop.state();
    }

    public LinkStats stats() {
        return loop.stats();
    }

    /**
     * Changes the link at run time. Applies to bytes not yet transmitted; bytes already on the way keep their
     * release times. A smaller buffer than is queued now stops reading until the queue drains below it.
     */
    public void setProfile(LinkProfile profile) {
        await(setProfileAsync(profile));
    }

    public CompletableFuture<Void> setProfileAsync(LinkProfile profile) {
        Objects.requireNonNull(profile, "profile");
        return loop.submit(now -> {
            loop.applyProfile(profile);
            return null;
        });
    }

    /** Fades the link until {@link #up()}: connections stay open, nothing crosses, nothing is read. */
    public void down() {
        down(OutageKind.FADE);
    }

    /** Takes the link down until {@link #up()}; a {@link OutageKind#HARD} outage resets every connection first. */
    public void down(OutageKind kind) {
        await(downAsync(kind));
    }

    public CompletableFuture<Void> downAsync(OutageKind kind) {
        Objects.requireNonNull(kind, "kind");
        return loop.submit(now -> {
            loop.goDownManually(kind, now, Long.MAX_VALUE);
            return null;
        });
    }

    /** Ends any outage now, explicit or scheduled (a schedule still takes the link down at its next outage). */
    public void up() {
        await(upAsync());
    }

    public CompletableFuture<Void> upAsync() {
        return loop.submit(now -> {
            loop.goUpManually(now);
            return null;
        });
    }

    /** A fade of {@code length} starting now; returns once the link is down. */
    public void outage(Duration length) {
        outage(length, OutageKind.FADE);
    }

    /** An outage of {@code length} starting now; returns once the link is down, not when it is up again. */
    public void outage(Duration length, OutageKind kind) {
        await(outageAsync(length, kind));
    }

    public CompletableFuture<Void> outageAsync(Duration length, OutageKind kind) {
        Objects.requireNonNull(kind, "kind");
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("outage length must be positive, got " + length);
        }
        long nanos = length.toNanos();
        return loop.submit(now -> {
            loop.goDownManually(kind, now, nanos);
            return null;
        });
    }

    /**
     * Starts a repeating schedule now (first an up phase); replaces any earlier one. Explicit calls still work in
     * between: the latest change wins, and the schedule makes its next change on time.
     */
    public void setOutageSchedule(OutageSchedule schedule) {
        Objects.requireNonNull(schedule, "schedule");
        await(loop.submit(now -> {
            loop.applySchedule(Optional.of(schedule), now);
            return null;
        }));
    }

    /** Stops the schedule; the link stays in its current state. */
    public void clearOutageSchedule() {
        await(loop.submit(now -> {
            loop.applySchedule(Optional.empty(), now);
            return null;
        }));
    }

    /**
     * Closes every connection (FIN, not reset) and the listening port, and stops the loop thread. On return the
     * port is free. Idempotent.
     */
    @Override
    public void close() {
        loop.submit(now -> {
            loop.beginClose();
            return null;
        });
        try {
            loop.terminated().get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            thread.join(COMMAND_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("link simulator on port " + port() + " did not stop", e);
        }
    }

    @Override
    public String toString() {
        return "LinkSimulator[" + address + " -> " + upstream + ", " + loop.profile().describe() + ", "
                + loop.state() + "]";
    }

    private static void await(CompletableFuture<?> future) {
        try {
            future.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the link simulator", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("link simulator did not respond within " + COMMAND_TIMEOUT, e);
        }
    }

    /** Options for {@link LinkSimulator}; defaults: VSAT_256K, 127.0.0.1, ephemeral port, seed 1, no schedule. */
    public static final class Builder {
        private final InetSocketAddress upstream;
        private LinkProfile profile = LinkProfile.VSAT_256K;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private long seed = 1;
        private Optional<OutageSchedule> schedule = Optional.empty();

        private Builder(InetSocketAddress upstream) {
            this.upstream = Objects.requireNonNull(upstream, "upstream");
        }

        public Builder profile(LinkProfile value) {
            this.profile = Objects.requireNonNull(value, "profile");
            return this;
        }

        public Builder bindAddress(InetAddress value) {
            this.bindAddress = Objects.requireNonNull(value, "bindAddress");
            return this;
        }

        /** 0 (the default) for an ephemeral port. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + value);
            }
            this.port = value;
            return this;
        }

        /** Seed of the jitter; the same seed gives the same jitter sequence for the same chunks. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder outages(OutageSchedule value) {
            this.schedule = Optional.of(value);
            return this;
        }

        /**
         * Binds the port and starts the loop thread.
         *
         * @throws UncheckedIOException if the port cannot be bound
         */
        public LinkSimulator start() {
            if (upstream.isUnresolved()) {
                throw new IllegalArgumentException("cannot resolve upstream host " + upstream.getHostString());
            }
            Selector selector = null;
            ServerSocketChannel server = null;
            try {
                selector = Selector.open();
                server = ServerSocketChannel.open();
                server.bind(new InetSocketAddress(bindAddress, port));
                server.configureBlocking(false);
                LinkLoop loop = new LinkLoop(selector, server, upstream, profile, seed, schedule);
                LinkSimulator sim = new LinkSimulator(loop, (InetSocketAddress) server.getLocalAddress(), upstream);
                sim.thread.start();
                return sim;
            } catch (IOException e) {
                closeQuietly(server, e);
                closeQuietly(selector, e);
                throw new UncheckedIOException("cannot listen on " + bindAddress.getHostAddress() + ":" + port, e);
            }
        }

        private static void closeQuietly(java.io.Closeable c, IOException primary) {
            if (c == null) {
                return;
            }
            try {
                c.close();
            } catch (IOException suppressed) {
                primary.addSuppressed(suppressed);
            }
        }
    }
}
