package io.hazwatch.drivers.plc4x;

import java.util.Objects;

/**
 * One validated channel of a PLC4X device: a tag address in the syntax of the connection's PLC4X
 * driver and how a number becomes an engineering value ({@code raw * scale + offset}).
 *
 * @param name     channel name, unique within the device
 * @param location where it was configured, for messages
 * @param tag      PLC4X tag address, e.g. {@code holding-register:1:REAL} (Modbus, 1-based) or
 *                 {@code %DB1.DBD0:REAL} (S7)
 * @param scaled   true when scale or offset were configured: integers then yield a Double
 */
public record Plc4xChannel(String name, String location, String tag, double scale, double offset, boolean scaled) {
    public Plc4xChannel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(tag, "tag");
    }
}
