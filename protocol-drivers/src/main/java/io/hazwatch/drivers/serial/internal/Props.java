package io.hazwatch.drivers.serial.internal;

import io.hazwatch.drivers.spi.PropertyValues;
import io.hazwatch.drivers.serial.Escapes;
import io.hazwatch.drivers.spi.ConfigProblem;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads typed properties of one device or channel and records a {@link ConfigProblem} for each one
 * that is wrong, naming the device or channel ({@code label}) and where it was written.
 */
final class Props {

    private final Map<String, Object> props;
    private final String where;
    private final String label;
    private final List<ConfigProblem> problems;

    Props(Map<String, Object> props, String where, String label, List<ConfigProblem> problems) {
        this.props = props;
        this.where = where;
        this.label = label;
        this.problems = problems;
    }

    boolean has(String key) {
        return props.get(key) != null;
    }

    void problem(String message) {
        problems.add(new ConfigProblem(where, label + ": " + message));
    }

    void unknownKeys(Set<String> known) {
        for (String key : new TreeSet<>(props.keySet())) {
            if (!known.contains(key)) {
                Optional<String> near = known.stream().filter(k -> k.equalsIgnoreCase(key)).findFirst();
                problem("unknown property '" + key + "'" + near.map(k -> " (did you mean '" + k + "'?)")
                        .orElse(" (known: " + String.join(", ", new TreeSet<>(known)) + ")"));
            }
        }
    }

    /** A string as written; empty (no problem) when absent. */
    Optional<String> string(String key) {
        Object value = props.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String s) {
            return Optional.of(s);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return Optional.of(value.toString());
        }
        problem("property '" + key + "' must be a string, got " + describe(value));
        return Optional.empty();
    }

    /** A string with C-style escapes resolved; empty (with a problem) when an escape is malformed. */
    Optional<String> escaped(String key) {
        return string(key).flatMap(s -> {
            Optional<String> resolved = Escapes.unescape(s);
            if (resolved.isEmpty()) {
                problem("property '" + key + "': malformed escape in '" + s + "' (use \\r \\n \\t \\0 \\\\ \\xHH)");
            }
            return resolved;
        });
    }

    /** An integer in {@code min..max}; {@code fallback} when absent, empty after a problem. */
    OptionalLong integer(String key, long fallback, long min, long max) {
        Object value = props.get(key);
        if (value == null) {
            return OptionalLong.of(fallback);
        }
        return requiredInteger(key, min, max);
    }

    /** An integer in {@code min..max} that must be present. */
    OptionalLong requiredInteger(String key, long min, long max) {
        Object value = props.get(key);
        if (value == null) {
            problem("property '" + key + "' is required");
            return OptionalLong.empty();
        }
        OptionalLong parsed = toLong(value);
        if (parsed.isEmpty()) {
            problem("property '" + key + "' must be an integer, got " + describe(value));
            return OptionalLong.empty();
        }
        long v = parsed.getAsLong();
        if (v < min || v > max) {
            problem("property '" + key + "' must be " + min + ".." + max + ", got " + v);
            return OptionalLong.empty();
        }
        return parsed;
    }

    /** A finite number; {@code fallback} when absent. */
    OptionalDouble number(String key, double fallback) {
        Object value = props.get(key);
        if (value == null) {
            return OptionalDouble.of(fallback);
        }
        OptionalDouble parsed = toDouble(value);
        if (parsed.isEmpty() || !Double.isFinite(parsed.getAsDouble())) {
            problem("property '" + key + "' must be a finite number, got " + describe(value));
            return OptionalDouble.empty();
        }
        return parsed;
    }

    /** One of a fixed set of names; {@code fallback} when absent. */
    <E> Optional<E> choice(String key, E fallback, Function<String, Optional<E>> lookup, Collection<String> allowed) {
        Object value = props.get(key);
        if (value == null) {
            return Optional.of(fallback);
        }
        String text = value.toString();
        Optional<E> found = lookup.apply(text);
        if (found.isEmpty()) {
            problem("unknown " + key + " '" + text + "' (expected one of " + String.join(", ", allowed) + ")");
        }
        return found;
    }

    static OptionalLong toLong(Object value) {
        return PropertyValues.toLong(value);
    }

    static OptionalDouble toDouble(Object value) {
        return PropertyValues.toDouble(value);
    }

    static String describe(Object value) {
        return PropertyValues.describe(value);
    }
}
