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
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code hazwatch-sim gnss --device PATH}: a GNSS displacement solver printing {@code $PHZDSP} sentences
 * on a serial port. Exit codes: 0 done, 1 cannot open the port, 2 bad arguments.
 */
@Command(name = "gnss", mixinStandardHelpOptions = true,
        description = {"Simulates a GNSS displacement solver printing NMEA-style sentences on a serial port:",
                "  $PHZDSP,<station>,<dN mm>,<dE mm>,<dU mm>,<quality>*hh   (one per station and epoch)",
                "  $GNGGA,...*hh                                             (reference station; ignore it)",
                "For a pty pair: socat -d -d pty,raw,echo=0,link=/tmp/gnss-sim pty,raw,echo=0,link=/tmp/gnss",
                "then --device /tmp/gnss-sim here and /tmp/gnss in the edge config. Reference: docs/drivers-serial.md."})
public final class GnssCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--device", required = true, paramLabel = "PATH", description = "Serial port to write to.")
    private String device;

    @Option(names = "--baud", defaultValue = "9600", description = "Line speed, 8N1. Default: ${DEFAULT-VALUE}.")
    private int baud;

    @Option(names = "--stations", defaultValue = "GN01,GN02,GN03", split = ",", paramLabel = "ID",
            description = "Station ids, comma separated. Default: ${DEFAULT-VALUE}.")
    private List<String> stations;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--interval-ms", defaultValue = "1000", paramLabel = "MS",
            description = "Real milliseconds between epochs. Default: ${DEFAULT-VALUE}.")
    private long intervalMs;

    @Option(names = "--solution-minutes", defaultValue = "60", paramLabel = "MIN",
            description = "Simulated minutes one epoch covers (creep adds up over it). Default: ${DEFAULT-VALUE}.")
    private long solutionMinutes;

    @Option(names = "--slide", paramLabel = "STATION:MM",
            description = "Make a station slide this many mm more per epoch, e.g. GN02:1.5.")
    private String slide;

    @Option(names = "--no-gga", description = "Do not print the $GNGGA sentence.")
    private boolean noGga;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop after this many seconds. Default: run until interrupted.")
    private Long durationSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (intervalMs < 1 || solutionMinutes < 1) {
            throw new ParameterException(spec.commandLine(), "--interval-ms and --solution-minutes must be at least 1");
        }
        GnssOptions options;
        try {
            options = new GnssOptions(device, baud, stations, seed, Duration.ofMillis(intervalMs),
                    Duration.ofMinutes(solutionMinutes), !noGga, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        GnssSolverSimulator sim;
        try {
            sim = GnssSolverSimulator.start(options);
        } catch (UncheckedIOException e) {
            spec.commandLine().getErr().println("cannot start: " + e.getCause().getMessage());
            return 1;
        }
        try (sim) {
            if (slide != null) {
                String[] parts = slide.split(":");
                try {
                    sim.startSlide(parts[0], Double.parseDouble(parts[1]));
                } catch (RuntimeException e) {
                    throw new ParameterException(spec.commandLine(), "--slide wants STATION:MM, e.g. GN02:1.5, got '"
                            + slide + "'");
                }
            }
            out.printf("gnss solver writing to %s at %d baud, stations %s, an epoch every %d ms%n", device, baud,
                    String.join(",", stations), intervalMs);
            out.flush();
            SerialSimRunner.runUntilStopped(durationSeconds);
        }
        out.println("gnss stopped after " + sim.linesWritten() + " sentences");
        out.flush();
        return 0;
    }
}
