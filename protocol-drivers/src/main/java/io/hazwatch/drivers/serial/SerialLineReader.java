package io.hazwatch.drivers.serial;

import io.hazwatch.drivers.serial.internal.JSerialCommTransport;
import io.hazwatch.drivers.serial.internal.LineTransport;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Raw frames from a serial port, for tools that look at what an instrument says before anyone writes
 * a configuration ({@code edge probe serial watch}). Not a driver: no channels, no reconnect.
 *
 * <p>Not thread-safe: one thread calls {@link #next}; {@link #close()} may be called from another to
 * stop it (the current {@code next} then returns within a poll interval).
 */
public final class SerialLineReader implements AutoCloseable {

    private static final int POLL_MILLIS = 50;

    private final LineTransport transport;
    private final LineFramer framer;
    private final Deque<String> ready = new ArrayDeque<>();
    private final byte[] buffer = new byte[1024];
    private final ReentrantLock io = new ReentrantLock();
    private volatile boolean closed;

    private SerialLineReader(LineTransport transport, Framing framing) {
        this.transport = transport;
        this.framer = new LineFramer(framing);
    }

    /**
     * Opens the port.
     *
     * @throws IOException when the port does not exist or cannot be opened
     */
    public static SerialLineReader open(SerialPortSettings settings, Framing framing) throws IOException {
        JSerialCommTransport transport = new JSerialCommTransport(Objects.requireNonNull(settings, "settings"),
                POLL_MILLIS);
        transport.open();
        return new SerialLineReader(transport, Objects.requireNonNull(framing, "framing"));
    }

    /**
     * The next frame, waiting at most {@code timeout}; empty when none was complete in time or the
     * reader was closed.
     *
     * @throws IOException when reading the port failed
     */
    public Optional<String> next(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ready.isEmpty() && !closed) {
            int n;
            io.lock();
            try {
                if (closed) {
                    break;
                }
                n = transport.read(buffer);
            } finally {
                io.unlock();
            }
            if (n > 0) {
                ready.addAll(framer.feed(buffer, 0, n));
            } else if (System.nanoTime() - deadline >= 0) {
                break;
            }
        }
        return closed ? Optional.empty() : Optional.ofNullable(ready.poll());
    }

    /** Frames thrown away so far for being longer than the framing's maximum. */
    public long overlongFrames() {
        return framer.overlongFrames();
    }

    /** Writes {@code text} (ISO-8859-1) to the port, e.g. a query. */
    public void write(String text) throws IOException {
        io.lock();
        try {
            transport.write(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        } finally {
            io.unlock();
        }
    }

    public String describe() {
        return transport.describe();
    }

    /** Idempotent. */
    @Override
    public void close() {
        closed = true;
        io.lock(); // waits for a read in progress: at most one poll interval
        try {
            transport.close();
        } finally {
            io.unlock();
        }
    }
}
