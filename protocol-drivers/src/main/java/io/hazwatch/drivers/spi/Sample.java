package io.hazwatch.drivers.spi;

import java.util.Objects;

/**
 * One value read from one channel. {@code value} is a {@link Double}, {@link Long}, {@link Boolean} or
 * {@link String}, or {@code null} when the quality is not good. {@code reason} says why a bad sample is bad.
 */
public record Sample(String channel, long timestampMillis, Object value, Quality quality, String reason) {
    public Sample {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(quality, "quality");
        if (value != null && !(value instanceof Double || value instanceof Long
                || value instanceof Boolean || value instanceof String)) {
            throw new IllegalArgumentException("unsupported sample value type " + value.getClass().getName());
        }
        reason = reason == null ? "" : reason;
    }

    public static Sample good(String channel, long timestampMillis, Object value) {
        return new Sample(channel, timestampMillis, value, Quality.GOOD, "");
    }

    public static Sample bad(String channel, long timestampMillis, Quality quality, String reason) {
        return new Sample(channel, timestampMillis, null, quality, reason);
    }
}
