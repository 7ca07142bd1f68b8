package io.hazwatch.drivers.modbus.internal;

import java.io.IOException;

/**
 * A byte pipe to a serial line: a serial port, or a TCP connection to a serial device server. Used by
 * one thread at a time (its line's).
 */
public interface ByteStream {

    /** Opens the stream if it is not open. */
    void open() throws IOException;

    boolean isOpen();

    /** Sends all of {@code bytes}. */
    void write(byte[] bytes) throws IOException;

    /**
     * Reads at least one and at most {@code length} bytes, waiting until {@code deadlineNanos}
     * ({@link System#nanoTime()}) at most; 0 when nothing arrived in time.
     *
     * @throws IOException if the stream failed or was closed by the other end
     */
    int read(byte[] buffer, int offset, int length, long deadlineNanos) throws IOException;

    /** Drops whatever has arrived and not been read (a late answer); returns how many bytes. */
    int discardInput() throws IOException;

    /** Idempotent. */
    void close();

    /** The port or address, for messages. */
    String describe();
}
