package io.hazwatch.edge.testing;

import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A driver whose channel values the test sets. By default a read completes at once with the current
 * values (good quality; a channel without a value is bad with BAD_COMM_FAIL); in held mode each read
 * stays pending until the test completes it, to simulate a slow device.
 */
public final class FakeDriver implements Driver {
    private final DeviceSpec device;
    private final Clock clock;
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final Deque<CompletableFuture<List<Sample>>> pending = new ArrayDeque<>();
    private volatile boolean hold;
    private volatile boolean closed;

    public FakeDriver(DeviceSpec device, Clock clock) {
        this.device = device;
        this.clock = clock;
    }

    public FakeDriver set(String channel, Object value) {
        values.put(channel, value);
        return this;
    }

    public FakeDriver unset(String channel) {
        values.remove(channel);
        return this;
    }

    /** From now on reads stay pending until {@link #completeOldest()}. */
    public FakeDriver hold(boolean hold) {
        this.hold = hold;
        return this;
    }

    public int reads() {
        return reads.get();
    }

    public synchronized int pendingReads() {
        return pending.size();
    }

    /** Completes the oldest pending read with the values as they are now. */
    public void completeOldest() {
        CompletableFuture<List<Sample>> f;
        synchronized (this) {
            f = pending.pollFirst();
        }
        if (f == null) {
            throw new IllegalStateException("no pending read");
        }
        f.complete(snapshot());
    }

    private List<Sample> snapshot() {
        long now = clock.millis();
        return device.channels().stream().map(ChannelSpec::name).map(ch -> {
            Object v = values.get(ch);
            return v == null ? Sample.bad(ch, now, Quality.BAD_COMM_FAIL, "no value set")
                    : Sample.good(ch, now, v);
        }).toList();
    }

    @Override
    public DeviceSpec device() {
        return device;
    }

    @Override
    public CompletionStage<List<Sample>> readAll() {
        reads.incrementAndGet();
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("closed"));
        }
        if (hold) {
            CompletableFuture<List<Sample>> f = new CompletableFuture<>();
            synchronized (this) {
                pending.addLast(f);
            }
            return f;
        }
        return CompletableFuture.completedFuture(snapshot());
    }

    @Override
    public DriverState state() {
        return closed ? DriverState.CLOSED : DriverState.CONNECTED;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            pending.forEach(f -> f.completeExceptionally(new IllegalStateException("closed")));
            pending.clear();
        }
    }
}
