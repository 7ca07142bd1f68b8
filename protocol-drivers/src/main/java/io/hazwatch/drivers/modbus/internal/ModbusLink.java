package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusTable;

import java.io.IOException;

/**
 * A client connection to one Modbus TCP device, used by one thread (the driver's I/O thread) only.
 * Blocking; every call returns within about the configured timeout.
 */
public interface ModbusLink {

    /**
     * Opens the connection if it is not open.
     *
     * @throws IOException if the device cannot be reached; the message says why
     */
    void connect() throws IOException;

    boolean isConnected();

    /**
     * Runs one read transaction. Never throws for a device or network problem: see {@link ReadOutcome}.
     * After a {@link ReadOutcome.Timeout} or {@link ReadOutcome.CommFailure} the link is closed.
     */
    ReadOutcome read(ModbusTable table, int start, int quantity);

    /** Idempotent. */
    void close();
}
