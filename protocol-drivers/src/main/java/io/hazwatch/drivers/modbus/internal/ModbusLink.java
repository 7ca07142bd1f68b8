package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusTable;

import java.io.IOException;

/**
 * The transactions of one device, used by one thread only (the thread that runs the device's driver:
 * its own for Modbus TCP, its serial line's for RTU and ASCII). Blocking; every call returns within
 * about the configured timeout (plus, on a serial line, the time the frames take on the wire).
 */
public interface ModbusLink {

    /**
     * Opens the connection or port if it is not open.
     *
     * @throws IOException if the device cannot be reached; the message says why
     */
    void connect() throws IOException;

    boolean isConnected();

    /**
     * Runs one read transaction. Never throws for a device or network problem: see {@link ReadOutcome}.
     * After a {@link ReadOutcome.CommFailure} the link is closed.
     */
    ReadOutcome read(ModbusTable table, int start, int quantity);

    /**
     * {@link #read(ModbusTable, int, int)} addressed to {@code unitId} instead of the link's own unit, on
     * the same connection or line (raw reads of a probe).
     */
    ReadOutcome read(int unitId, ModbusTable table, int start, int quantity);

    /** Runs one write transaction; never throws for a device or network problem. */
    WriteOutcome write(WriteCommand command);

    /** Idempotent. */
    void close();
}
