package io.hazwatch.drivers.modbus;

/** Modbus ASCII devices on a serial port ({@code driver: modbus-ascii}), on jSerialComm. */
public final class ModbusAsciiDriverFactory extends ModbusDriverFactory {

    /** The {@code driver:} value of Modbus ASCII devices. */
    public static final String TYPE = ModbusKind.ASCII.type();

    public ModbusAsciiDriverFactory() {
        super(ModbusKind.ASCII);
    }
}
