package io.hazwatch.drivers.modbus;

/** Modbus RTU frames over TCP to a serial device server ({@code driver: modbus-rtu-tcp}). */
public final class ModbusRtuOverTcpDriverFactory extends ModbusDriverFactory {

    /** The {@code driver:} value of RTU-over-TCP devices. */
    public static final String TYPE = ModbusKind.RTU_OVER_TCP.type();

    public ModbusRtuOverTcpDriverFactory() {
        super(ModbusKind.RTU_OVER_TCP);
    }
}
