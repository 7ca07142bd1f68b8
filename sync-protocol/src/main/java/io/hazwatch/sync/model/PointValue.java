package io.hazwatch.sync.model;

import java.util.Objects;

/** The value of a reading: a double, a long, a boolean, a string, or none (a bad reading). */
public sealed interface PointValue {

    record DoubleValue(double value) implements PointValue { }

    record LongValue(long value) implements PointValue { }

    record BoolValue(boolean value) implements PointValue { }

    record StringValue(String value) implements PointValue {
        public StringValue {
            Objects.requireNonNull(value, "value");
        }
    }

    /** No value: the reading's quality says why. */
    record None() implements PointValue { }

    None NONE = new None();

    static PointValue of(double v) {
        return new DoubleValue(v);
    }

    static PointValue of(long v) {
        return new LongValue(v);
    }

    static PointValue of(boolean v) {
        return new BoolValue(v);
    }

    static PointValue of(String v) {
        return new StringValue(v);
    }

    /** Maps a boxed Java value (Double, Long, Integer, Boolean, String, null) onto a point value. */
    static PointValue ofObject(Object v) {
        if (v == null) {
            return NONE;
        }
        if (v instanceof Double d) {
            return of(d.doubleValue());
        }
        if (v instanceof Float f) {
            return of(f.doubleValue());
        }
        if (v instanceof Long l) {
            return of(l.longValue());
        }
        if (v instanceof Integer i) {
            return of(i.longValue());
        }
        if (v instanceof Boolean b) {
            return of(b.booleanValue());
        }
        if (v instanceof String s) {
            return of(s);
        }
        throw new IllegalArgumentException("unsupported value type " + v.getClass().getName());
    }

    /** A double view for alarms and aggregates; NaN where the value has none. */
    default double asDouble() {
        if (this instanceof DoubleValue d) {
            return d.value();
        }
        if (this instanceof LongValue l) {
            return l.value();
        }
        if (this instanceof BoolValue b) {
            return b.value() ? 1 : 0;
        }
        return Double.NaN;
    }
}
