package io.hazwatch.drivers.modbus;

import java.util.concurrent.CompletionStage;

/**
 * Raw reads by address, for tools that probe a device or a bus before a configuration exists (the edge
 * agent reads channels through {@link io.hazwatch.drivers.spi.Driver#readAll()}); the read twin of
 * {@link ModbusWriter}. Every Modbus driver implements it, so a driver made for one port or host with
 * no channels at all is a probe: {@code (ModbusReader) factory.create(device, clock)}.
 *
 * <p>Each call is one transaction (FC01 to FC04), queued behind those already waiting for the device
 * (and on a serial line behind those of the other devices on it), answered within the driver's
 * {@code timeoutMs}, and completed on the driver's I/O thread. It opens the connection or port if it is
 * not open; it neither waits for nor starts the driver's backoff (a unit that does not answer a probe
 * says nothing about the others). Device problems are a {@link ModbusReadResult}, never an
 * exceptional stage; a closed driver completes it with {@link io.hazwatch.drivers.spi.DriverClosedException}.
 *
 * @throws IllegalArgumentException (from every method) if the unit id, address or count is outside what
 *                                  the transport and function code allow
 */
public interface ModbusReader {

    /**
     * Modbus Application Protocol v1.1b, 6.1-6.4: reads {@code count} items of {@code table} from
     * {@code address} at the driver's own unit id; 1..125 registers or 1..2000 bits.
     */
    CompletionStage<ModbusReadResult> read(ModbusTable table, int address, int count);

    /**
     * Like {@link #read(ModbusTable, int, int)}, at unit id {@code unitId} on the same connection or line:
     * 0..255 on Modbus TCP, 1..247 on a serial line (Modbus over Serial Line v1.02, 2.2; 0 is a broadcast,
     * which no unit answers). This is how a scan asks every unit id on one bus, one at a time.
     */
    CompletionStage<ModbusReadResult> read(int unitId, ModbusTable table, int address, int count);
}
