package io.hazwatch.drivers.spi;

import java.util.Objects;

/**
 * What one write did. {@code target} names what was written (a channel, or an address for raw writes);
 * {@code quality} is {@link Quality#GOOD} when the device confirmed the write, otherwise why not, with
 * the same codes as samples ({@link Quality#BAD_CONFIG} when the channel cannot be written,
 * {@link Quality#BAD_OUT_OF_RANGE} when the value does not fit it). {@code reason} is empty when good.
 */
public record WriteResult(String target, Quality quality, String reason) {

    public WriteResult {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(quality, "quality");
        reason = reason == null ? "" : reason;
    }

    public static WriteResult good(String target) {
        return new WriteResult(target, Quality.GOOD, "");
    }

    public static WriteResult bad(String target, Quality quality, String reason) {
        if (quality.isGood()) {
            throw new IllegalArgumentException("a failed write needs a bad quality");
        }
        return new WriteResult(target, quality, reason);
    }

    public boolean isGood() {
        return quality.isGood();
    }
}
