package io.hazwatch.drivers.modbus;

/** Modbus TCP devices ({@code driver: modbus-tcp}), on j2mod's master side, one connection per device. */
public final class ModbusTcpDriverFactory extends ModbusDriverFactory {

    /** The {@code driver:} value of Modbus TCP devices. */
    public static final String TYPE = ModbusKind.TCP.type();

    public ModbusTcpDriverFactory() {
        super(ModbusKind.TCP);
    }
}
