package io.hazwatch.drivers.opcua;

import java.util.Locale;
import java.util.Optional;

/** How a channel gets its value. */
public enum OpcUaChannelMode {
    /** A monitored item in the device's subscription; {@code readAll} returns the latest notification. */
    SUBSCRIBE("subscribe"),
    /** A Read service call on every {@code readAll} (for nodes a server will not monitor, or rare polls). */
    READ("read");

    private final String configName;

    OpcUaChannelMode(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static Optional<OpcUaChannelMode> fromConfig(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (OpcUaChannelMode m : values()) {
            if (m.configName.equals(wanted)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
