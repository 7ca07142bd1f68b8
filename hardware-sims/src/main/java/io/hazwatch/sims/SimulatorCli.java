package io.hazwatch.sims;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Command line for the instrument simulators:
 * {@code hazwatch-sim tank-farm --count 6 --port 15020} runs six tank farms on ports 15020..15025.
 * Exit codes: 0 done, 1 a simulator could not start, 2 bad arguments.
 */
@Command(name = "hazwatch-sim", mixinStandardHelpOptions = true, version = "hazwatch-sim 0.1",
        description = "Runs HazWatch instrument simulators (Modbus TCP slaves).",
        subcommands = SimulatorCli.TankFarmCommand.class)
public final class SimulatorCli implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorCli.class);

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int execute(String... args) {
        return new CommandLine(new SimulatorCli()).execute(args);
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a simulator, e.g. tank-farm");
    }

    /** {@code tank-farm}: one or more tank-farm simulators in this process. */
    @Command(name = "tank-farm", mixinStandardHelpOptions = true,
            description = {"Simulates hazardous-chemical tank farms (level, temperature, pressure, gas).",
                    "Register map: docs/simulators.md. Runs until interrupted unless --duration is given."})
    static final class TankFarmCommand implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = "--port", defaultValue = "5020", paramLabel = "PORT",
                description = "TCP port of the first simulator; the next ones take the following ports. "
                        + "0 = ephemeral ports. Default: ${DEFAULT-VALUE} (502 needs root).")
        private int port;

        @Option(names = "--bind", defaultValue = TankFarmOptions.DEFAULT_BIND_ADDRESS, paramLabel = "ADDRESS",
                description = "Interface to listen on, e.g. 0.0.0.0 for all. Default: ${DEFAULT-VALUE}.")
        private String bind;

        @Option(names = "--count", defaultValue = "1", description = "Number of simulators. Default: ${DEFAULT-VALUE}.")
        private int count;

        @Option(names = "--tanks", defaultValue = "4", description = "Tanks per simulator (1..1000). "
                + "Default: ${DEFAULT-VALUE}.")
        private int tanks;

        @Option(names = "--seed", defaultValue = "1", description = "Random seed of the first simulator; "
                + "simulator i uses seed + i. Default: ${DEFAULT-VALUE}.")
        private long seed;

        @Option(names = "--unit-id", defaultValue = "1", description = "Modbus unit id (0..255). "
                + "Default: ${DEFAULT-VALUE}.")
        private int unitId;

        @Option(names = "--leak-rate-per-hour", defaultValue = "2.0", paramLabel = "RATE",
                description = "Mean spontaneous gas leaks per tank per hour; 0 = none. Default: ${DEFAULT-VALUE}.")
        private double leakRatePerHour;

        @Option(names = "--echo-loss-rate-per-hour", defaultValue = "0.1", paramLabel = "RATE",
                description = "Mean radar echo-loss dropouts per tank per hour. Default: ${DEFAULT-VALUE}.")
        private double echoLossRatePerHour;

        @Option(names = "--tick-ms", defaultValue = "1000", paramLabel = "MS",
                description = "Real milliseconds per simulated second (100 = ten times faster). "
                        + "Default: ${DEFAULT-VALUE}.")
        private long tickMillis;

        @Option(names = "--duration", paramLabel = "SECONDS",
                description = "Stop after this many seconds (0 = start, report, stop). Default: run until interrupted.")
        private Long durationSeconds;

        @Override
        public Integer call() throws InterruptedException {
            List<TankFarmOptions> all = optionsForEach();
            PrintWriter out = spec.commandLine().getOut();
            List<TankFarmSimulator> running = new ArrayList<>();
            try {
                for (TankFarmOptions options : all) {
                    running.add(TankFarmSimulator.start(options));
                }
            } catch (UncheckedIOException e) {
                running.forEach(TankFarmSimulator::close);
                spec.commandLine().getErr().println("cannot start: " + e.getMessage() + ": " + e.getCause().getMessage());
                return 1;
            }
            for (int i = 0; i < running.size(); i++) {
                TankFarmSimulator sim = running.get(i);
                out.printf("tank-farm #%d listening on %s:%d unit %d, %d tanks, seed %d%n", i, sim.host(), sim.port(),
                        sim.unitId(), sim.tankCount(), sim.options().seed());
            }
            out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                running.forEach(TankFarmSimulator::close);
                stop.countDown();
            }, "tank-farm-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                if (durationSeconds == null) {
                    stop.await();
                } else {
                    stop.await(durationSeconds, TimeUnit.SECONDS);
                }
            } finally {
                running.forEach(TankFarmSimulator::close);
                removeHook(hook);
            }
            out.println("tank-farm stopped");
            out.flush();
            return 0;
        }

        private List<TankFarmOptions> optionsForEach() {
            CommandLine cl = spec.commandLine();
            if (count < 1) {
                throw new ParameterException(cl, "--count must be at least 1, got " + count);
            }
            if (port < 0 || (port > 0 && port + count - 1 > 65535)) {
                throw new ParameterException(cl, "--port " + port + " with --count " + count + " runs past port 65535");
            }
            if (tickMillis < 1) {
                throw new ParameterException(cl, "--tick-ms must be at least 1, got " + tickMillis);
            }
            if (durationSeconds != null && durationSeconds < 0) {
                throw new ParameterException(cl, "--duration must not be negative, got " + durationSeconds);
            }
            List<TankFarmOptions> all = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                try {
                    all.add(TankFarmOptions.builder()
                            .bindAddress(bind)
                            .port(port == 0 ? 0 : port + i)
                            .tanks(tanks)
                            .seed(seed + i)
                            .unitId(unitId)
                            .leakRatePerHour(leakRatePerHour)
                            .echoLossRatePerHour(echoLossRatePerHour)
                            .tickInterval(Duration.ofMillis(tickMillis))
                            .build());
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(cl, e.getMessage(), e);
                }
            }
            return all;
        }

        private static void removeHook(Thread hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                LOG.debug("JVM already shutting down; the hook runs itself", e);
            }
        }
    }
}
