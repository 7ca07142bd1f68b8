package io.hazwatch.edge;

import io.hazwatch.drivers.spi.DriverState;

/**
 * How one device's polling is going. Counters run from the agent's start. {@code skippedTicks} counts
 * poll ticks that found the previous poll of this device still running (read or journal append);
 * {@code lastPollMillis} is when the last poll started and {@code lastReadDurationMillis} how long its
 * read took, both 0 before the first poll.
 */
public record DeviceStatus(String name, String driver, DriverState state, long pollIntervalMs, long polls,
                           long skippedTicks, long goodSamples, long badSamples, long lastPollMillis,
                           long lastReadDurationMillis) {
}
