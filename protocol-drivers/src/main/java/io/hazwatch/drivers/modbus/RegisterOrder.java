package io.hazwatch.drivers.modbus;

import java.util.Locale;
import java.util.Optional;

/**
 * Byte order of a multi-byte value across registers. The letters name the value's bytes from most
 * (A) to least significant, in the order they travel on the wire: {@code ABCD} is big-endian
 * (Modbus default, {@code 0x41A0 0x0000} = 20.0f), {@code CDAB} swaps the words (low word first,
 * {@code 0x0000 0x41A0} = 20.0f), {@code BADC} swaps the bytes inside each register, {@code DCBA} does
 * both. For 64-bit values the word swap reverses all four registers. For 16-bit values only the byte
 * swap matters: {@code BADC} and {@code DCBA} read a byte-swapped register.
 */
public enum RegisterOrder {
    ABCD(false, false),
    CDAB(true, false),
    BADC(false, true),
    DCBA(true, true);

    private final boolean swapsWords;
    private final boolean swapsBytes;

    RegisterOrder(boolean swapsWords, boolean swapsBytes) {
        this.swapsWords = swapsWords;
        this.swapsBytes = swapsBytes;
    }

    /** The registers come low word first. */
    public boolean swapsWords() {
        return swapsWords;
    }

    /** Each register carries its two bytes low byte first. */
    public boolean swapsBytes() {
        return swapsBytes;
    }

    /** Case-insensitive lookup by configuration name. */
    public static Optional<RegisterOrder> fromConfig(String name) {
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        for (RegisterOrder order : values()) {
            if (order.name().equals(wanted)) {
                return Optional.of(order);
            }
        }
        return Optional.empty();
    }
}
