package io.hazwatch.drivers.modbus;

import java.util.Locale;
import java.util.Optional;

/** The four Modbus data tables (Modbus Application Protocol v1.1b, 4.3), as named in configuration. */
public enum ModbusTable {
    /** Holding registers, read with function 03. */
    HOLDING("holding", 3, true),
    /** Input registers, read with function 04. */
    INPUT("input", 4, true),
    /** Coils, read with function 01. */
    COIL("coil", 1, false),
    /** Discrete inputs, read with function 02. */
    DISCRETE("discrete", 2, false);

    /** Modbus Application Protocol v1.1b, 6.1 and 6.2: 1..2000 bits per read. */
    public static final int MAX_BITS_PER_READ = 2000;
    /** Modbus Application Protocol v1.1b, 6.3 and 6.4: 1..125 registers per read. */
    public static final int MAX_REGISTERS_PER_READ = 125;

    private final String configName;
    private final int functionCode;
    private final boolean registers;

    ModbusTable(String configName, int functionCode, boolean registers) {
        this.configName = configName;
        this.functionCode = functionCode;
        this.registers = registers;
    }

    /** The {@code table:} value in a channel configuration. */
    public String configName() {
        return configName;
    }

    /** The read function code. */
    public int functionCode() {
        return functionCode;
    }

    /** True for 16-bit register tables, false for single-bit tables. */
    public boolean isRegisterTable() {
        return registers;
    }

    /** Case-insensitive lookup by configuration name. */
    public static Optional<ModbusTable> fromConfig(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (ModbusTable table : values()) {
            if (table.configName.equals(wanted)) {
                return Optional.of(table);
            }
        }
        return Optional.empty();
    }
}
