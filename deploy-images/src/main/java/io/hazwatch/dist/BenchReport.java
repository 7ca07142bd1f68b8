package io.hazwatch.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What every benchmark command does around its measurement: quiet logging (the report is the
 * output), a working directory (a temporary one unless given, deleted afterwards), the report printed
 * and, with {@code --out}, appended to a Markdown file.
 */
public final class BenchReport {
    private BenchReport() {
    }

    /** A measurement that writes under a working directory and returns its Markdown report. */
    @FunctionalInterface
    public interface Measurement {
        String run(Path work) throws Exception;
    }

    /** Runs {@code m} and reports; returns the command's exit code. */
    public static int run(Path dir, String tempPrefix, Path out, Measurement m) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Path work = dir != null ? dir : Files.createTempDirectory(tempPrefix);
        try {
            String report = m.run(work);
            System.out.println(report);
            if (out != null) {
                Files.writeString(out, report + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            return 0;
        } finally {
            if (dir == null) {
                deleteTree(work);
            }
        }
    }

    /** Deletes a directory and everything under it; a missing one is fine. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
