package io.hazwatch.drivers.serial.internal;

import java.io.IOException;

/**
 * A byte pipe to one instrument: a serial port in production, an in-memory pipe in tests. Used by one
 * thread only (the driver's I/O thread).
 */
public interface LineTransport {

    /** Opens the port; a no-op when open. */
    void open() throws IOException;

    boolean isOpen();

    /**
     * Reads what has arrived into {@code buffer}, waiting a short while (tens of milliseconds) for the
     * first byte; returns the count, 0 when nothing arrived.
     *
     * @throws IOException when the port failed (unplugged, closed by the system); the caller closes it
     */
    int read(byte[] buffer) throws IOException;

    /** Writes every byte of {@code bytes}. */
    void write(byte[] bytes) throws IOException;

    /** Closes the port; idempotent. */
    void close();

    /** "/dev/ttyUSB0 9600 8N1", for messages. */
    String describe();
}
