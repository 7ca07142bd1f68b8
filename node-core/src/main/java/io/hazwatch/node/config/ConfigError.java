package io.hazwatch.node.config;

import java.util.Objects;

/** One thing wrong with a configuration, and where it was written. */
public record ConfigError(Location location, String message) {
    public ConfigError {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line:col: message}. */
    @Override
    public String toString() {
        return location + ": " + message;
    }
}
