package io.hazwatch.drivers.modbus;

import io.hazwatch.drivers.spi.WriteResult;

import java.util.concurrent.CompletionStage;

/**
 * Raw writes by address, for tools that probe a device before a configuration exists (the edge agent
 * writes channels through {@link io.hazwatch.drivers.spi.Writable}). Every Modbus driver implements it.
 *
 * <p>Each call is one transaction, queued behind those already waiting for the device (and on a serial
 * line behind those of the other devices on it), and completes on the driver's I/O thread. Device
 * problems are a bad {@link WriteResult}, never an exceptional stage; a closed driver completes it
 * with {@link io.hazwatch.drivers.spi.DriverClosedException}.
 *
 * @throws IllegalArgumentException (from every method) if an address, value or count is outside what the
 *                                  function code allows
 */
public interface ModbusWriter {

    /** Modbus Application Protocol v1.1b, 6.5: Write Single Coil (FC05). */
    CompletionStage<WriteResult> writeCoil(int address, boolean value);

    /** 6.6: Write Single Register (FC06); {@code value} 0..65535 (or -32768..-1 for a signed value). */
    CompletionStage<WriteResult> writeRegister(int address, int value);

    /** 6.11: Write Multiple Coils (FC15), 1..1968 coils. */
    CompletionStage<WriteResult> writeCoils(int address, boolean... values);

    /** 6.12: Write Multiple Registers (FC16), 1..123 registers. */
    CompletionStage<WriteResult> writeRegisters(int address, int... values);
}
