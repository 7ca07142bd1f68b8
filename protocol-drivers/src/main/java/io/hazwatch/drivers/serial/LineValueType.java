package io.hazwatch.drivers.serial;

import java.util.Locale;
import java.util.Optional;

/** What a text field of a line holds, and so the type of the sample value. */
public enum LineValueType {
    /** A decimal number ({@code -12.5}, {@code 1e-3}); the value is a Double. */
    DOUBLE,
    /** A whole number ({@code 01441}, {@code -7}); a Long, or a Double when scale or offset is set. */
    LONG,
    /** Text as it stands; a String. */
    STRING,
    /** {@code 1}/{@code 0}, {@code true}/{@code false}, {@code on}/{@code off}, {@code y}/{@code n}; a Boolean. */
    BOOL;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Case-insensitive lookup by configuration name. */
    public static Optional<LineValueType> fromConfig(String name) {
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        for (LineValueType t : values()) {
            if (t.name().equals(wanted)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** True for the types scale and offset apply to. */
    public boolean isNumeric() {
        return this == DOUBLE || this == LONG;
    }
}
