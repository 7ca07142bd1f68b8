package io.hazwatch.node.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the problems of one configuration load so that all of them are reported, not only the first.
 * Not thread-safe: one loader owns it.
 *
 * <p>Parsers built on it return {@code Optional.empty()} for a part they could not build and record
 * why here; a caller can tell whether a part added problems by comparing {@link #count()} before and
 * after.
 */
public final class ConfigProblems {
    private final List<ConfigError> errors = new ArrayList<>();

    public void add(Location where, String message) {
        errors.add(new ConfigError(where, message));
    }

    public int count() {
        return errors.size();
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** The problems so far, in document order (stable for problems at the same place). */
    public List<ConfigError> errors() {
        List<ConfigError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparing(ConfigError::location));
        return List.copyOf(sorted);
    }

    /** @throws ConfigException carrying every problem recorded, if there is any */
    public void throwIfAny() throws ConfigException {
        if (!errors.isEmpty()) {
            throw new ConfigException(errors());
        }
    }
}
