package io.hazwatch.drivers.opcua;

import java.util.Locale;
import java.util.Optional;

/** Message security mode (OPC UA Part 4, 7.20). */
public enum OpcUaSecurityMode {
    NONE("none"),
    /** Messages are signed, not encrypted: tamper-proof, readable on the wire. */
    SIGN("sign"),
    /** Messages are signed and encrypted. */
    SIGN_AND_ENCRYPT("signAndEncrypt");

    private final String configName;

    OpcUaSecurityMode(String configName) {
        this.configName = configName;
    }

    /** The {@code securityMode:} value in a device configuration. */
    public String configName() {
        return configName;
    }

    /** Case-insensitive lookup by configuration name; dashes and underscores are ignored. */
    public static Optional<OpcUaSecurityMode> fromConfig(String name) {
        String wanted = normalise(name);
        for (OpcUaSecurityMode m : values()) {
            if (normalise(m.configName).equals(wanted)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private static String normalise(String s) {
        return s.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
