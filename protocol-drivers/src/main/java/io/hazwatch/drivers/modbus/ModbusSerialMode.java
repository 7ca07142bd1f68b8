package io.hazwatch.drivers.modbus;

/** Serial transmission mode (Modbus over Serial Line v1.02, 2.5). */
public enum ModbusSerialMode {
    /** Binary frames separated by 3.5 character times of silence, CRC-16 (2.5.1). */
    RTU,
    /** {@code :}, hex characters, LRC, CR LF (2.5.2). */
    ASCII
}
