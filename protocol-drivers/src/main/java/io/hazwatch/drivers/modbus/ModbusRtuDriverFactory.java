package io.hazwatch.drivers.modbus;

/** Modbus RTU devices on a serial port ({@code driver: modbus-rtu}), on jSerialComm. */
public final class ModbusRtuDriverFactory extends ModbusDriverFactory {

    /** The {@code driver:} value of Modbus RTU devices. */
    public static final String TYPE = ModbusKind.RTU.type();

    public ModbusRtuDriverFactory() {
        super(ModbusKind.RTU);
    }
}
