package io.hazwatch.node.config;

import java.util.Comparator;
import java.util.Objects;

/**
 * Where something was written in a configuration source: the source's name (usually the file path as
 * given on the command line) and a 1-based line and column.
 */
public record Location(String source, int line, int column) implements Comparable<Location> {

    private static final Comparator<Location> ORDER = Comparator.comparing(Location::source)
            .thenComparingInt(Location::line)
            .thenComparingInt(Location::column);

    public Location {
        Objects.requireNonNull(source, "source");
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
        }
    }

    /** The start of a source, for problems that belong to the whole file (unreadable, empty). */
    public static Location startOf(String source) {
        return new Location(source, 1, 1);
    }

    @Override
    public int compareTo(Location other) {
        return ORDER.compare(this, other);
    }

    /** {@code source:line:column}, the form compilers use, so editors can jump to it. */
    @Override
    public String toString() {
        return source + ":" + line + ":" + column;
    }
}
