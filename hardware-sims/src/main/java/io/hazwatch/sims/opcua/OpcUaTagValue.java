package io.hazwatch.sims.opcua;

import java.time.Instant;
import java.util.Objects;

/**
 * What one tag of the simulator publishes now.
 *
 * @param tag        tag name, also the string identifier of its node ({@code LT-1001})
 * @param value      a {@link Double} or {@link Boolean}
 * @param statusCode OPC UA status code (Part 4, 7.34); 0 is Good
 * @param sourceTime source timestamp: the simulated time of the step that produced the value
 */
public record OpcUaTagValue(String tag, Object value, long statusCode, Instant sourceTime) {
    public OpcUaTagValue {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(sourceTime, "sourceTime");
    }
}
