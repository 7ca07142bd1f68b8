package io.hazwatch.drivers.modbus;

/** The four Modbus driver types, by their {@code driver:} value. */
public enum ModbusKind {
    TCP("modbus-tcp"),
    RTU("modbus-rtu"),
    RTU_OVER_TCP("modbus-rtu-tcp"),
    ASCII("modbus-ascii");

    private final String type;

    ModbusKind(String type) {
        this.type = type;
    }

    /** The {@code driver:} value. */
    public String type() {
        return type;
    }

    /** True for the kinds that talk to a serial line (directly or through a device server). */
    public boolean isSerialLine() {
        return this != TCP;
    }
}
