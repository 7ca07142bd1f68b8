package io.hazwatch.drivers.modbus.bench;

import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.facade.ModbusSerialMaster;
import com.ghgande.j2mod.modbus.util.SerialParameters;
import io.hazwatch.drivers.modbus.ModbusRtuDriverFactory;
import io.hazwatch.drivers.modbus.ModbusTcpDriverFactory;
import io.hazwatch.drivers.modbus.testing.Peers;
import io.hazwatch.drivers.modbus.testing.PtyPair;
import io.hazwatch.drivers.modbus.testing.SerialLineEmulator;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import io.hazwatch.sims.SerialLineOptions;
import io.hazwatch.sims.TankFarmOptions;
import io.hazwatch.sims.TankFarmRtuSimulator;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The Modbus figures of issue 4 (docs/benchmarks-modbus.md), one command:
 * <pre>
 * mvn -q -pl protocol-drivers test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.hazwatch.drivers.modbus.bench.ModbusBench [-Dexec.args="tcp|rtu|all"]
 * </pre>
 * <ol>
 * <li>Modbus TCP: many tank-farm simulators in a separate JVM, each answering after a random 5-25 ms, each
 * polled by its own driver once a second, coalesced against one register per request; points per
 * second and the CPU this JVM (the drivers) used, as a share of one core.</li>
 * <li>Modbus RTU at 9600 and 19200 baud 8N1 on a socat pty pair with a simulated wire
 * ({@link SerialLineEmulator}): registers per second back to back, as a share of the theoretical
 * maximum for the frame sizes and 3.5-character gaps; j2mod's own serial master on the same line for
 * comparison.</li>
 * </ol>
 * Settings by system property: {@code bench.tcp.devices} (500), {@code bench.tcp.perRegisterDevices}
 * (100), {@code bench.tcp.seconds} (15), {@code bench.rtu.seconds} (4).
 */
public final class ModbusBench {

    private static final int POINTS_PER_DEVICE = 100; // 5 tanks x 20 registers, read as uint16

    private ModbusBench() {
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "all";
        machine();
        if (what.equals("all") || what.equals("tcp")) {
            int devices = Integer.getInteger("bench.tcp.devices", 500);
            int perRegisterDevices = Integer.getInteger("bench.tcp.perRegisterDevices", 100);
            int seconds = Integer.getInteger("bench.tcp.seconds", 15);
            System.out.println();
            System.out.println("## Modbus TCP: " + POINTS_PER_DEVICE + " points per device, polled every 1000 ms, "
                    + "response delay 5-25 ms (uniform), " + seconds + " s measured after 5 s warm-up");
            System.out.println();
            System.out.println("| mode | devices | requests/s | points/s | driver JVM CPU, share of one core | "
                    + "CPU per point | simulator JVM CPU |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
            tcp("coalesced (1 request of 100 registers)", devices, 125, seconds);
            tcp("one register per request (100 requests)", perRegisterDevices, 1, seconds);
        }
        if (what.equals("all") || what.equals("rtu")) {
            rtu(Integer.getInteger("bench.rtu.seconds", 4));
        }
        System.exit(0);
    }

    private static void machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        System.out.println("# Modbus benchmark");
        System.out.println();
        System.out.println("- CPU: " + cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores visible to the JVM");
        System.out.println("- Java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        System.out.println("- OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }

    // ------------------------------------------------------------------------------------------ TCP

    private static void tcp(String mode, int devices, int maxRegistersPerRead, int seconds) throws Exception {
        int basePort = 0;
        Process sims = null;
        for (int attempt = 0; sims == null; attempt++) {
            // below Linux's ephemeral range (32768 and up), where the drivers' own connections land
            basePort = 10_000 + ThreadLocalRandom.current().nextInt(20_000);
            try {
                sims = startSimulators(devices, basePort);
            } catch (IllegalStateException e) {
                if (attempt == 4) {
                    throw e;
                }
                System.err.println(e.getMessage() + "; trying other ports");
            }
        }
        List<Driver> drivers = new ArrayList<>();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-poller");
            t.setDaemon(true);
            return t;
        });
        AtomicLong goodPoints = new AtomicLong();
        AtomicLong badPoints = new AtomicLong();
        AtomicLong cycles = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        try {
            ModbusTcpDriverFactory factory = new ModbusTcpDriverFactory();
            for (int d = 0; d < devices; d++) {
                drivers.add(factory.create(device("farm" + d, "modbus-tcp", Map.of("host", "127.0.0.1", "port",
                        basePort + d, "maxRegistersPerRead", maxRegistersPerRead, "timeoutMs", 2000)), Clock.systemUTC()));
            }
            for (int d = 0; d < devices; d++) {
                Driver driver = drivers.get(d);
                AtomicBoolean busy = new AtomicBoolean();
                long offset = 1000L * d / devices; // spread the polls over the second, as an edge agent does
                ticker.scheduleAtFixedRate(() -> {
                    if (!busy.compareAndSet(false, true)) {
                        skipped.incrementAndGet();
                        return;
                    }
                    driver.readAll().whenComplete((samples, failure) -> {
                        if (samples != null) {
                            for (Sample s : samples) {
                                (s.quality() == Quality.GOOD ? goodPoints : badPoints).incrementAndGet();
                            }
                            cycles.incrementAndGet();
                        }
                        busy.set(false);
                    });
                }, offset, 1000, TimeUnit.MILLISECONDS);
            }
            sleep(5_000); // warm-up: connections, JIT
            long cpu0 = processCpuNanos();
            long simCpu0 = childCpuNanos(sims);
            long good0 = goodPoints.get();
            long cycles0 = cycles.get();
            long bad0 = badPoints.get();
            long t0 = System.nanoTime();
            sleep(seconds * 1000L);
            long elapsed = System.nanoTime() - t0;
            long cpu = processCpuNanos() - cpu0;
            long simCpu = childCpuNanos(sims) - simCpu0;
            long good = goodPoints.get() - good0;
            long requests = (cycles.get() - cycles0) * (maxRegistersPerRead == 1 ? POINTS_PER_DEVICE : 1);
            double secs = elapsed / 1e9;
            System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %.1f %% | %.2f µs | %.1f %% |%n", mode, devices,
                    requests / secs, good / secs, 100.0 * cpu / elapsed, cpu / 1e3 / Math.max(1, good),
                    100.0 * simCpu / elapsed);
            if (badPoints.get() - bad0 > 0) {
                System.out.printf(Locale.ROOT, "  (%,d bad samples during the measurement)%n", badPoints.get() - bad0);
            }
        } finally {
            ticker.shutdownNow();
            drivers.forEach(Driver::close);
            sims.destroy();
            sims.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static DeviceSpec device(String name, String type, Map<String, Object> props) {
        List<ChannelSpec> channels = new ArrayList<>();
        for (int a = 0; a < POINTS_PER_DEVICE; a++) {
            channels.add(new ChannelSpec("r" + a, Map.of("address", a, "type", "uint16"), name + ":" + a));
        }
        return new DeviceSpec(name, type, props, channels, name);
    }

    /** The simulators run in a JVM of their own, so this JVM's CPU time is the drivers' alone. */
    private static Process startSimulators(int count, int basePort) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss256k", "-cp", classPath(), "io.hazwatch.sims.SimulatorCli", "tank-farm", "--count",
                String.valueOf(count), "--port", String.valueOf(basePort), "--tanks", "5", "--leak-rate-per-hour", "0",
                "--response-delay-ms", "5-25");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        int listening = 0;
        String line;
        while (listening < count && (line = out.readLine()) != null) {
            if (line.startsWith("tank-farm #")) {
                listening++;
            } else if (line.startsWith("cannot start")) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("simulators did not start: " + line);
            }
        }
        if (listening < count) {
            throw new IllegalStateException("simulators ended after " + listening + " of " + count);
        }
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // the simulators' chatter is not part of the figures
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "sim-output");
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        ClassLoader loader = ModbusBench.class.getClassLoader();
        while (loader != null) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        entries.add(url.getPath());
                    }
                }
            }
            loader = loader.getParent();
        }
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(e);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** utime + stime of a child process from /proc, in nanoseconds (clock ticks of 10 ms). */
    private static long childCpuNanos(Process p) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }

    // ------------------------------------------------------------------------------------------ RTU

    private static void rtu(int seconds) throws Exception {
        if (!Peers.onPath("socat")) {
            System.out.println("\n(RTU figures skipped: socat is not installed)");
            return;
        }
        System.out.println();
        System.out.println("## Modbus RTU on a pty pair with a simulated 8N1 wire, back-to-back reads of holding "
                + "registers, " + seconds + " s per row");
        System.out.println();
        System.out.println("Theory per transaction: request 8 bytes + answer 5 + 2n bytes + 2 x 3.5 characters of "
                + "silence, 10 bits per character.");
        System.out.println();
        System.out.println("| baud | registers per request | transactions/s | registers/s | theoretical registers/s "
                + "| share of theory |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        Path dir = Files.createTempDirectory("modbus-bench");
        try {
            rtuRows(dir, seconds);
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void rtuRows(Path dir, int seconds) throws Exception {
        for (int baud : new int[]{9600, 19200}) {
            Files.createDirectories(dir.resolve(baud + "m"));
            Files.createDirectories(dir.resolve(baud + "s"));
            try (PtyPair master = PtyPair.open(dir.resolve(baud + "m")); PtyPair slave = PtyPair.open(dir.resolve(baud + "s"));
                 SerialLineEmulator line = new SerialLineEmulator(master, slave, baud, 10, false);
                 TankFarmRtuSimulator sim = TankFarmRtuSimulator.start(SerialLineOptions.rtu(slave.b().toString(), baud),
                         TankFarmOptions.builder().tanks(7).manualTicks().build())) {
                for (int n : new int[]{1, 10, 60, 125}) {
                    rtuRow(master.a(), baud, n, seconds);
                }
                if (baud == 9600) {
                    for (int n : new int[]{10, 125}) {
                        j2modRow(master.a(), baud, n, seconds);
                    }
                }
            }
        }
    }

    /** Characters of one read transaction of {@code n} registers, with both silent intervals. */
    static double theoreticalCharacters(int n) {
        return 8 + (5 + 2 * n) + 2 * 3.5;
    }

    static double theoreticalRegistersPerSecond(int baud, int n) {
        double charSeconds = 10.0 / baud;
        double silence = baud > 19200 ? 2 * 1.75e-3 : 7 * charSeconds;
        return n / ((8 + 5 + 2 * n) * charSeconds + silence);
    }

    private static void rtuRow(Path port, int baud, int n, int seconds) throws DriverConfigException {
        List<ChannelSpec> channels = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            channels.add(new ChannelSpec("r" + a, Map.of("address", a, "type", "uint16"), "r" + a));
        }
        Map<String, Object> props = new HashMap<>();
        props.put("port", port.toString());
        props.put("baudRate", baud);
        props.put("timeoutMs", 1000);
        Driver driver = new ModbusRtuDriverFactory().create(new DeviceSpec("rtu", "modbus-rtu", props, channels, "bench"),
                Clock.systemUTC());
        try {
            long warmUntil = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < warmUntil) {
                driver.readAll().toCompletableFuture().join();
            }
            long transactions = 0;
            long bad = 0;
            long t0 = System.nanoTime();
            long end = t0 + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                List<Sample> samples = driver.readAll().toCompletableFuture().join();
                bad += samples.stream().filter(s -> s.quality() != Quality.GOOD).count();
                transactions++;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            row(baud, String.valueOf(n) + (bad > 0 ? " (" + bad + " bad)" : ""), transactions / secs,
                    n * transactions / secs, theoreticalRegistersPerSecond(baud, n));
        } finally {
            driver.close();
        }
    }

    /** j2mod 3.2.1's serial master on the same line, for comparison. */
    private static void j2modRow(Path port, int baud, int n, int seconds) throws Exception {
        SerialParameters p = new SerialParameters(port.toString(), baud, 0, 0, 8, 1, 0, false);
        p.setEncoding(Modbus.SERIAL_ENCODING_RTU);
        ModbusSerialMaster master = new ModbusSerialMaster(p, 1000);
        master.connect();
        try {
            master.readMultipleRegisters(1, 0, n);
            long transactions = 0;
            long t0 = System.nanoTime();
            long end = t0 + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                master.readMultipleRegisters(1, 0, n);
                transactions++;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            row(baud, n + " (j2mod 3.2.1 serial master)", transactions / secs, n * transactions / secs,
                    theoreticalRegistersPerSecond(baud, n));
        } finally {
            master.disconnect();
        }
    }

    private static void row(int baud, String n, double tps, double rps, double theory) {
        System.out.printf(Locale.ROOT, "| %d | %s | %.1f | %.1f | %.1f | %.1f %% |%n", baud, n, tps, rps, theory,
                100 * rps / theory);
    }

    private static void sleep(long millis) {
        long until = System.nanoTime() + millis * 1_000_000L;
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left); // the measurement window
        }
    }
}
