package io.hazwatch.drivers.modbus;

import java.util.List;
import java.util.Objects;

/**
 * A validated Modbus device: where it is reached, request shaping and reconnect settings plus its
 * channels in configuration order. Defaults and ranges are in docs/drivers-modbus.md.
 */
public record ModbusDeviceConfig(String name, ModbusKind kind, ModbusEndpoint endpoint, int unitId, int timeoutMs,
                                 int maxRegistersPerRead, int maxBitsPerRead, int maxGap, long backoffMinMs,
                                 long backoffMaxMs, List<ModbusChannel> channels) {

    public static final int DEFAULT_PORT = 502;
    public static final int DEFAULT_UNIT_ID = 1;
    public static final int DEFAULT_TIMEOUT_MS = 1000;
    public static final int DEFAULT_MAX_REGISTERS_PER_READ = ModbusTable.MAX_REGISTERS_PER_READ;
    public static final int DEFAULT_MAX_BITS_PER_READ = ModbusTable.MAX_BITS_PER_READ;
    public static final int DEFAULT_MAX_GAP = 8;
    public static final long DEFAULT_BACKOFF_MIN_MS = 500;
    public static final long DEFAULT_BACKOFF_MAX_MS = 30_000;
    public static final int DEFAULT_BAUD_RATE = 9600;

    public ModbusDeviceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(endpoint, "endpoint");
        channels = List.copyOf(channels);
    }

    /** A Modbus TCP device, as the foundation's tests build it. */
    public static ModbusDeviceConfig tcp(String name, String host, int port, int unitId, int timeoutMs,
                                         int maxRegistersPerRead, int maxGap, long backoffMinMs, long backoffMaxMs,
                                         List<ModbusChannel> channels) {
        return new ModbusDeviceConfig(name, ModbusKind.TCP, new ModbusEndpoint.Tcp(host, port), unitId, timeoutMs,
                maxRegistersPerRead, DEFAULT_MAX_BITS_PER_READ, maxGap, backoffMinMs, backoffMaxMs, channels);
    }
}
