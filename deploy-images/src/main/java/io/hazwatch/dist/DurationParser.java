package io.hazwatch.dist;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them on a command line: 90s, 5m, 2h, 500ms, or ISO-8601 (PT1M). */
final class DurationParser {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)");

    private DurationParser() {
    }

    static Duration parse(String option, String text) {
        Matcher m = SIMPLE.matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a duration; write e.g. 60s, 5m or 2h");
        }
    }
}
