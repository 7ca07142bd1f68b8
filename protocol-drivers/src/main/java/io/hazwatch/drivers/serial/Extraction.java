package io.hazwatch.drivers.serial;

import java.util.regex.Pattern;

/** Where in a line (its payload, checksum removed) a channel's text is. */
public sealed interface Extraction {

    /** A named group of a regular expression: {@code (?<dN>-?\d+\.\d+)}. */
    record Group(Pattern pattern, String name) implements Extraction {
    }

    /** Field {@code index} (0-based) of the payload split at {@code delimiter}. */
    record Field(String delimiter, int index) implements Extraction {
        public Field {
            if (delimiter.isEmpty()) {
                throw new IllegalArgumentException("empty delimiter");
            }
            if (index < 0) {
                throw new IllegalArgumentException("field index must be >= 0, got " + index);
            }
        }
    }

    /** Fixed columns: {@code width} characters from column {@code column} (0-based). */
    record Columns(int column, int width) implements Extraction {
        public Columns {
            if (column < 0 || width < 1) {
                throw new IllegalArgumentException("need column >= 0 and width >= 1, got " + column + ", " + width);
            }
        }
    }
}
