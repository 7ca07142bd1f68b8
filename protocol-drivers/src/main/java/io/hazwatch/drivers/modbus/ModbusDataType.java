package io.hazwatch.drivers.modbus;

import java.util.Locale;
import java.util.Optional;

/** How the registers of a channel encode its value. */
public enum ModbusDataType {
    INT16(1),
    UINT16(1),
    INT32(2),
    UINT32(2),
    FLOAT32(2),
    FLOAT64(4),
    /** One bit: a coil or discrete input, or bit {@code bit} of a register. */
    BOOL(1),
    /**
     * Text, two ASCII characters per register over {@code length} registers; trailing NULs and spaces
     * are dropped when read.
     */
    STRING(0);

    private final int registers;

    ModbusDataType(int registers) {
        this.registers = registers;
    }

    /** Registers the value spans on a register table; 0 for {@link #STRING}, whose length is configured. */
    public int registers() {
        return registers;
    }

    /** True when the channel's {@code length} decides how many registers it spans. */
    public boolean hasVariableLength() {
        return this == STRING;
    }

    public boolean isInteger() {
        return this == INT16 || this == UINT16 || this == INT32 || this == UINT32;
    }

    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** True for integer and float types: those that take scale, offset and deadband. */
    public boolean isNumeric() {
        return isInteger() || isFloat();
    }

    /** True for the types a {@code bit:} may be taken from: the 16-bit ones. */
    public boolean allowsBit() {
        return this == INT16 || this == UINT16 || this == BOOL;
    }

    /** The {@code type:} value in a channel configuration. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Case-insensitive lookup by configuration name. */
    public static Optional<ModbusDataType> fromConfig(String name) {
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        for (ModbusDataType type : values()) {
            if (type.name().equals(wanted)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
