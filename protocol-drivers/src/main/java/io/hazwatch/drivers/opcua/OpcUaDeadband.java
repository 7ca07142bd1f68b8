package io.hazwatch.drivers.opcua;

import java.util.Locale;
import java.util.Optional;

/** Deadband of a data-change filter (OPC UA Part 4, 7.22.2). */
public enum OpcUaDeadband {
    /** Every change is reported. */
    NONE("none", 0),
    /** A change is reported when it exceeds {@code deadbandValue} in engineering units. */
    ABSOLUTE("absolute", 1),
    /**
     * A change is reported when it exceeds {@code deadbandValue} percent of the node's EURange
     * (Part 8, 6.2); only analog items with an EURange, and only servers that implement it.
     */
    PERCENT("percent", 2);

    private final String configName;
    private final int code;

    OpcUaDeadband(String configName, int code) {
        this.configName = configName;
        this.code = code;
    }

    public String configName() {
        return configName;
    }

    /** The DeadbandType value on the wire (Part 4, Table 147). */
    public int code() {
        return code;
    }

    public static Optional<OpcUaDeadband> fromConfig(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (OpcUaDeadband d : values()) {
            if (d.configName.equals(wanted)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
