package io.hazwatch.sync.model;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One entry of an edge's point catalogue, carried on {@link Lane#META} (docs/sync-protocol.md section
 * 4.8, record kind 4): what a point is, so that the province can label, scale-check and alarm-check
 * its readings without a copy of every edge's configuration. An edge publishes one per configured
 * point; the latest (highest sequence) of a point is its current description.
 *
 * <p>{@code dataType} is the value type as the edge's configuration names it for the point's driver
 * ({@code float32}, {@code uint16}, ...), empty when the configuration leaves it to the driver's
 * default. {@code scale} and {@code offset} are the linear conversion the edge applies before a value
 * is journaled, when its configuration has them. {@code limits} are the configured alarm limits (HH,
 * H, L, LL, whichever are present; never FAULT, which has no value).
 *
 * @param timestampMillis when the edge published the entry, epoch milliseconds from its clock
 */
public record PointInfo(String point, long timestampMillis, String unit, String dataType,
                        Optional<String> description, OptionalDouble scale, OptionalDouble offset,
                        Optional<EngineeringRange> range, Map<AlarmLimit, Double> limits) implements Payload {

    /** Longest text field in UTF-8 bytes: what one wire string may hold. */
    public static final int MAX_TEXT_BYTES = 1024;

    /**
     * @throws IllegalArgumentException for a text field longer than {@link #MAX_TEXT_BYTES} or a FAULT
     *                                  limit
     */
    public PointInfo {
        Objects.requireNonNull(point, "point");
        checkText("unit", unit);
        checkText("dataType", dataType);
        Objects.requireNonNull(description, "description");
        description.ifPresent(d -> checkText("description", d));
        Objects.requireNonNull(scale, "scale");
        Objects.requireNonNull(offset, "offset");
        Objects.requireNonNull(range, "range");
        EnumMap<AlarmLimit, Double> copy = new EnumMap<>(AlarmLimit.class);
        limits.forEach((limit, value) -> {
            if (limit == AlarmLimit.FAULT) {
                throw new IllegalArgumentException("a FAULT alarm has no limit value");
            }
            copy.put(limit, Objects.requireNonNull(value, "limit value"));
        });
        limits = Collections.unmodifiableMap(copy);
    }

    /** A point with only its unit and type known. */
    public static PointInfo of(String point, long timestampMillis, String unit, String dataType) {
        return new PointInfo(point, timestampMillis, unit, dataType, Optional.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), Optional.empty(), Map.of());
    }

    /** The value of one limit, empty when not configured. */
    public OptionalDouble limit(AlarmLimit limit) {
        Double v = limits.get(limit);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    private static void checkText(String field, String s) {
        Objects.requireNonNull(s, field);
        if (s.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException(field + " longer than " + MAX_TEXT_BYTES + " UTF-8 bytes");
        }
    }

    /** The span of values the instrument can report, in the point's unit; {@code low <= high}. */
    public record EngineeringRange(double low, double high) {
        public EngineeringRange {
            if (!(low <= high)) {
                throw new IllegalArgumentException("engineering range low " + low + " is not at most high " + high);
            }
        }
    }
}
