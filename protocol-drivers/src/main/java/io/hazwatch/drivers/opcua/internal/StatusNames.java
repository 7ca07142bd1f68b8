package io.hazwatch.drivers.opcua.internal;

import org.eclipse.milo.opcua.stack.core.StatusCodes;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/** Names of OPC UA status codes (Part 6, A.2 / StatusCode.csv), cached. */
public final class StatusNames {

    private static final ConcurrentHashMap<Long, String> NAMES = new ConcurrentHashMap<>();

    private StatusNames() {
    }

    /** {@code Bad_NodeIdUnknown}; the hex code when the name is unknown. Info bits are ignored. */
    public static String name(long statusCode) {
        long code = statusCode & 0xFFFF0000L;
        return NAMES.computeIfAbsent(code, c -> StatusCodes.lookup(c).map(n -> n[0])
                .orElse(String.format(Locale.ROOT, "0x%08X", c)));
    }

    /** {@code Bad_NodeIdUnknown (0x80340000)}. */
    public static String describe(long statusCode) {
        return name(statusCode) + String.format(Locale.ROOT, " (0x%08X)", statusCode & 0xFFFF0000L);
    }
}
