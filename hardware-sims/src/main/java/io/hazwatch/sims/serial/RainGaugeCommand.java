package io.hazwatch.sims.serial;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code hazwatch-sim rain-gauge --device PATH}: a tipping-bucket rain gauge printing
 * {@code R,<total 0.1 mm>,<tips>*CRC} lines. Exit codes: 0 done, 1 cannot open the port, 2 bad arguments.
 */
@Command(name = "rain-gauge", mixinStandardHelpOptions = true,
        description = {"Simulates a tipping-bucket rain gauge on a serial port:",
                "  R,<total in 0.1 mm>,<tips>*<CRC-16/MODBUS, 4 hex digits>",
                "Unsolicited it prints after every step; with --polled it answers 'R?' and 'CLR' (clear), each"
                        + " ending in CR LF.",
                "Reference: docs/drivers-serial.md."})
public final class RainGaugeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--device", required = true, paramLabel = "PATH", description = "Serial port to write to.")
    private String device;

    @Option(names = "--baud", defaultValue = "9600", description = "Line speed, 8N1. Default: ${DEFAULT-VALUE}.")
    private int baud;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--interval-ms", defaultValue = "1000", paramLabel = "MS",
            description = "Real milliseconds between steps. Default: ${DEFAULT-VALUE}.")
    private long intervalMs;

    @Option(names = "--step-minutes", defaultValue = "1", paramLabel = "MIN",
            description = "Simulated minutes per step. Default: ${DEFAULT-VALUE}.")
    private int stepMinutes;

    @Option(names = "--bucket-mm", defaultValue = "0.2", paramLabel = "MM",
            description = "Rain per tip: 0.1, 0.2 or 0.5. Default: ${DEFAULT-VALUE}.")
    private double bucketMm;

    @Option(names = "--polled", description = "Answer 'R?' instead of printing by itself.")
    private boolean polled;

    @Option(names = "--burst", paramLabel = "MM_PER_MIN:MINUTES",
            description = "Start with a downpour, e.g. 2.5:30 (a rainstorm for the alarm chain).")
    private String burst;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop after this many seconds. Default: run until interrupted.")
    private Long durationSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (intervalMs < 1) {
            throw new ParameterException(spec.commandLine(), "--interval-ms must be at least 1");
        }
        RainGaugeOptions options;
        try {
            options = new RainGaugeOptions(device, baud, seed, Duration.ofMillis(intervalMs), stepMinutes, polled,
                    (int) Math.round(bucketMm * 10), Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        RainGaugeSimulator sim;
        try {
            sim = RainGaugeSimulator.start(options);
        } catch (UncheckedIOException e) {
            spec.commandLine().getErr().println("cannot start: " + e.getCause().getMessage());
            return 1;
        }
        try (sim) {
            if (burst != null) {
                String[] parts = burst.split(":");
                try {
                    sim.startBurst(Double.parseDouble(parts[0]), Integer.parseInt(parts[1]));
                } catch (RuntimeException e) {
                    throw new ParameterException(spec.commandLine(), "--burst wants MM_PER_MIN:MINUTES (rate 0..8),"
                            + " e.g. 2.5:30, got '" + burst + "'");
                }
            }
            out.printf("rain gauge writing to %s at %d baud, %s, bucket %.1f mm%n", device, baud,
                    polled ? "polled (R?)" : "every " + intervalMs + " ms", bucketMm);
            out.flush();
            SerialSimRunner.runUntilStopped(durationSeconds);
        }
        out.println("rain gauge stopped after " + sim.linesWritten() + " lines");
        out.flush();
        return 0;
    }
}
