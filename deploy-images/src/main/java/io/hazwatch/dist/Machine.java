package io.hazwatch.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** One line naming the machine a figure was measured on. */
final class Machine {
    private Machine() {
    }

    static String describe() {
        String cpu = cpuModel().orElse(System.getProperty("os.arch"));
        long memGiB = memTotalKiB().map(k -> Math.round(k / 1024.0 / 1024.0)).orElse(0L);
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + memGiB + " GiB RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version");
    }

    /**
     * The 1, 5 and 15 minute load averages ("unknown" off Linux): the machine may be shared, and a
     * latency figure means little without them.
     */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static Optional<String> cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> memTotalKiB() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
