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
import java.util.Locale;
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
        subcommands = {SimulatorCli.TankFarmCommand.class, SimulatorCli.TankFarmRtuCommand.class,
                io.hazwatch.sims.link.LinkCommand.class,
                io.hazwatch.sims.opcua.OpcUaCommand.class,
                io.hazwatch.sims.serial.GnssCommand.class, io.hazwatch.sims.serial.RainGaugeCommand.class})
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

        @Option(names = "--response-delay-ms", paramLabel = "MS[-MS]", defaultValue = "0",
                description = "Delay every response by this many milliseconds, or by a random time in a range "
                        + "such as 5-25 (a slow device). Default: ${DEFAULT-VALUE}.")
        private String responseDelay;

        @Option(names = "--rtu-over-tcp", description = "RTU frames (unit id, PDU, CRC) on the socket instead of "
                + "Modbus TCP headers, as behind a serial device server.")
        private boolean rtuOverTcp;

        @Override
        public Integer call() throws InterruptedException {
            List<TankFarmOptions> all = optionsForEach();
            Duration[] delay = delayRange(spec.commandLine(), responseDelay);
            PrintWriter out = spec.commandLine().getOut();
            List<TankFarmSimulator> running = new ArrayList<>();
            try {
                for (TankFarmOptions options : all) {
                    TankFarmSimulator sim = rtuOverTcp ? TankFarmSimulator.startRtuOverTcp(options)
                            : TankFarmSimulator.start(options);
                    sim.setResponseDelay(delay[0], delay[1]);
                    running.add(sim);
                }
            } catch (UncheckedIOException e) {
                running.forEach(TankFarmSimulator::close);
                spec.commandLine().getErr().println("cannot start: " + e.getMessage() + ": " + e.getCause().getMessage());
                return 1;
            }
            for (int i = 0; i < running.size(); i++) {
                TankFarmSimulator sim = running.get(i);
                out.printf("tank-farm #%d listening on %s:%d unit %d, %d tanks, seed %d%s%n", i, sim.host(), sim.port(),
                        sim.unitId(), sim.tankCount(), sim.options().seed(), rtuOverTcp ? ", RTU over TCP" : "");
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

    /** "10" or "5-25" (milliseconds) as {min, max}. */
    static Duration[] delayRange(CommandLine cl, String text) {
        String[] parts = text.trim().split("-", 2);
        try {
            long min = Long.parseLong(parts[0].trim());
            long max = parts.length == 2 ? Long.parseLong(parts[1].trim()) : min;
            if (min < 0 || max < min) {
                throw new ParameterException(cl, "--response-delay-ms needs 0 <= MIN <= MAX, got " + text);
            }
            return new Duration[]{Duration.ofMillis(min), Duration.ofMillis(max)};
        } catch (NumberFormatException e) {
            throw new ParameterException(cl, "--response-delay-ms takes MS or MIN-MAX, got '" + text + "'", e);
        }
    }

    /** {@code tank-farm-rtu}: tank farms behind one Modbus serial line (RTU or ASCII). */
    @Command(name = "tank-farm-rtu", mixinStandardHelpOptions = true,
            description = {"Serves tank farms on a serial port (a real one or one end of a socat pty pair), "
                    + "one farm per unit id.",
                    "Register map: docs/simulators.md. Runs until interrupted unless --duration is given."})
    static final class TankFarmRtuCommand implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = "--device", required = true, paramLabel = "PATH",
                description = "Serial port, e.g. /dev/ttyUSB0 or /dev/pts/3.")
        private String device;

        @Option(names = "--baud", defaultValue = "9600", description = "Baud rate. Default: ${DEFAULT-VALUE}.")
        private int baud;

        @Option(names = "--data-bits", description = "Data bits. Default: 8 for RTU, 7 for ASCII.")
        private Integer dataBits;

        @Option(names = "--parity", paramLabel = "none|even|odd",
                description = "Parity. Default: none for RTU (8N1, as most instruments), even for ASCII.")
        private String parity;

        @Option(names = "--stop-bits", defaultValue = "1", description = "Stop bits, 1 or 2. Default: ${DEFAULT-VALUE}.")
        private int stopBits;

        @Option(names = "--encoding", defaultValue = "rtu", paramLabel = "rtu|ascii",
                description = "Serial transmission mode. Default: ${DEFAULT-VALUE}.")
        private String encoding;

        @Option(names = "--unit-id", defaultValue = "1", split = ",", paramLabel = "ID",
                description = "Unit id of each farm on the line (1..247), e.g. 1,2,3. Default: ${DEFAULT-VALUE}.")
        private List<Integer> unitIds;

        @Option(names = "--tanks", defaultValue = "4", description = "Tanks per farm (1..1000). Default: ${DEFAULT-VALUE}.")
        private int tanks;

        @Option(names = "--seed", defaultValue = "1", description = "Random seed of the first farm; farm i uses "
                + "seed + i. Default: ${DEFAULT-VALUE}.")
        private long seed;

        @Option(names = "--leak-rate-per-hour", defaultValue = "2.0", paramLabel = "RATE",
                description = "Mean spontaneous gas leaks per tank per hour; 0 = none. Default: ${DEFAULT-VALUE}.")
        private double leakRatePerHour;

        @Option(names = "--tick-ms", defaultValue = "1000", paramLabel = "MS",
                description = "Real milliseconds per simulated second. Default: ${DEFAULT-VALUE}.")
        private long tickMillis;

        @Option(names = "--response-delay-ms", paramLabel = "MS[-MS]", defaultValue = "0",
                description = "Extra delay before every response, or a random one in a range such as 5-25. "
                        + "Default: ${DEFAULT-VALUE}.")
        private String responseDelay;

        @Option(names = "--duration", paramLabel = "SECONDS",
                description = "Stop after this many seconds (0 = start, report, stop). Default: run until interrupted.")
        private Long durationSeconds;

        @Override
        public Integer call() throws InterruptedException {
            CommandLine cl = spec.commandLine();
            SerialLineOptions line = line(cl);
            Duration[] delay = delayRange(cl, responseDelay);
            if (tickMillis < 1) {
                throw new ParameterException(cl, "--tick-ms must be at least 1, got " + tickMillis);
            }
            if (durationSeconds != null && durationSeconds < 0) {
                throw new ParameterException(cl, "--duration must not be negative, got " + durationSeconds);
            }
            List<TankFarmOptions> farms = new ArrayList<>();
            for (int i = 0; i < unitIds.size(); i++) {
                try {
                    farms.add(TankFarmOptions.builder().tanks(tanks).seed(seed + i).unitId(unitIds.get(i))
                            .leakRatePerHour(leakRatePerHour).tickInterval(Duration.ofMillis(tickMillis)).build());
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(cl, e.getMessage(), e);
                }
            }
            TankFarmRtuSimulator sim;
            try {
                sim = TankFarmRtuSimulator.start(line, farms);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cl, e.getMessage(), e);
            }
            sim.setResponseDelay(delay[0], delay[1]);
            PrintWriter out = cl.getOut();
            out.printf("tank-farm-rtu on %s (%s), units %s, %d tanks each, seed %d%n", line.device(), line.describe(),
                    sim.unitIds(), tanks, seed);
            out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                sim.close();
                stop.countDown();
            }, "tank-farm-rtu-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                if (durationSeconds == null) {
                    stop.await();
                } else {
                    stop.await(durationSeconds, TimeUnit.SECONDS);
                }
            } finally {
                sim.close();
                TankFarmCommand.removeHook(hook);
            }
            out.println("tank-farm-rtu stopped");
            out.flush();
            return 0;
        }

        private SerialLineOptions line(CommandLine cl) {
            try {
                SerialLineOptions.Encoding mode = SerialLineOptions.Encoding.valueOf(encoding.trim().toUpperCase(Locale.ROOT));
                boolean ascii = mode == SerialLineOptions.Encoding.ASCII;
                SerialLineOptions.Parity p = parity == null ? (ascii ? SerialLineOptions.Parity.EVEN
                        : SerialLineOptions.Parity.NONE) : SerialLineOptions.Parity.parse(parity);
                return new SerialLineOptions(device, baud, dataBits == null ? (ascii ? 7 : 8) : dataBits, p, stopBits,
                        mode);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cl, e.getMessage(), e);
            }
        }
    }
}
