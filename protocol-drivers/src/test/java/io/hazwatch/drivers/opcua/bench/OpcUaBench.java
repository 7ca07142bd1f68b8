package io.hazwatch.drivers.opcua.bench;

import io.hazwatch.drivers.opcua.OpcUaDriverFactory;
import io.hazwatch.drivers.opcua.internal.OpcUaDriver;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import io.hazwatch.drivers.spi.Subscribable;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OPC UA figures of issue 4: monitored items held and notifications per second from a Milo server,
 * and the CPU the client side spends on them. The server (the OPC UA simulator with {@code --items N}
 * items that all change every second) runs in its own JVM, started by this bench, so the two CPU
 * figures are measured apart: the client's from this process, the server's from the child process.
 *
 * <p>The client is the real driver: one device with N subscribe-mode channels, 1 s publishing, a
 * {@link Subscribable} listener counting every notification, and one {@code readAll}
 * per second as the edge agent polls.
 *
 * <p>Run (docs/benchmarks-opcua.md):
 * <pre>
 * mvn -q -pl protocol-drivers test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.hazwatch.drivers.opcua.bench.OpcUaBench -Dexec.args="--items 10000 --seconds 60"
 * </pre>
 * Options: {@code --items N} (10000), {@code --seconds S} measured (60), {@code --warmup S} (15),
 * {@code --publishing-ms MS} (1000), {@code --sampling-ms MS} (500: twice per change, so no change of the
 * 1 s items is missed when the server's sampling loop drifts), {@code --queue N} (2),
 * {@code --jfr FILE} to record the measured window with JFR.
 */
public final class OpcUaBench {

    private static final Pattern LISTENING = Pattern.compile("opcua listening on (opc\\.tcp://\\S+),");

    private OpcUaBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        int items = Integer.parseInt(opts.getOrDefault("items", "10000"));
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "60"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "15"));
        int publishingMs = Integer.parseInt(opts.getOrDefault("publishing-ms", "1000"));
        int samplingMs = Integer.parseInt(opts.getOrDefault("sampling-ms", "500"));
        int queue = Integer.parseInt(opts.getOrDefault("queue", "2"));
        String jfr = opts.get("jfr");

        Path pki = Files.createTempDirectory("opcua-bench");
        Process server = startServer(items, pki.resolve("server"));
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroyForcibly));
        try {
            String endpoint = awaitEndpoint(server);
            System.out.printf(Locale.ROOT, "server %s (pid %d), %d items changing every 1 s%n", endpoint, server.pid(),
                    items);
            run(endpoint, items, seconds, warmup, publishingMs, samplingMs, queue, jfr, pki.resolve("client"), server);
        } finally {
            server.getOutputStream().close();
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        System.exit(0);
    }

    private static void run(String endpoint, int items, int seconds, int warmup, int publishingMs, int samplingMs,
                            int queue, String jfr, Path clientPki, Process server) throws Exception {
        List<ChannelSpec> channels = new ArrayList<>(items);
        for (int i = 1; i <= items; i++) {
            String tag = String.format(Locale.ROOT, "Bench.%05d", i);
            channels.add(new ChannelSpec(tag, Map.of("nodeId", "ns=2;s=" + tag, "samplingIntervalMs", samplingMs,
                    "queueSize", queue), "bench:" + i));
        }
        DeviceSpec device = new DeviceSpec("bench", "opcua", Map.of("endpointUrl", endpoint,
                "publishingIntervalMs", publishingMs, "requestTimeoutMs", 30_000, "pkiDir", clientPki.toString()),
                channels, "bench");
        AtomicLong notifications = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        // arrival time and size of every batch (one per publish response), to measure the rate between
        // the first and the last publish of the window rather than across a window edge
        List<long[]> batches = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        try (Driver driver = new OpcUaDriverFactory().create(device, Clock.systemUTC())) {
            Subscribable.SampleSubscription sub = ((Subscribable) driver).subscribe(samples -> {
                notifications.addAndGet(samples.size());
                batches.add(new long[]{System.nanoTime(), samples.size()});
                for (Sample s : samples) {
                    if (s.quality() != Quality.GOOD) {
                        bad.incrementAndGet();
                    }
                }
            });
            List<Sample> first = driver.readAll().toCompletableFuture().get(120, TimeUnit.SECONDS);
            long connectMs = (System.nanoTime() - t0) / 1_000_000;
            int held = ((OpcUaDriver) driver).monitoredItemsHeld();
            long good = first.stream().filter(s -> s.quality() == Quality.GOOD).count();
            System.out.printf(Locale.ROOT, "connected and subscribed in %d ms: %d monitored items held, %d good on "
                    + "the first readAll%n", connectMs, held, good);

            pollFor(driver, Duration.ofSeconds(warmup));

            Recording recording = null;
            if (jfr != null) {
                recording = new Recording(Configuration.getConfiguration("profile"));
                recording.start();
            }
            long n0 = notifications.get();
            long cpu0 = processCpuNanos();
            long serverCpu0 = cpuNanos(server);
            long w0 = System.nanoTime();
            long[] readAllNanos = pollFor(driver, Duration.ofSeconds(seconds));
            long wall = System.nanoTime() - w0;
            long cpu = processCpuNanos() - cpu0;
            long serverCpu = cpuNanos(server) - serverCpu0;
            long n = notifications.get() - n0;
            if (recording != null) {
                recording.stop();
                recording.dump(Path.of(jfr));
                recording.close();
                System.out.println("JFR recording of the measured window: " + jfr);
            }
            sub.close();

            double secs = wall / 1e9;
            List<long[]> inWindow = batches.stream().filter(b -> b[0] >= w0 && b[0] <= w0 + wall).toList();
            double rate = 0;
            if (inWindow.size() > 1) {
                long span = inWindow.get(inWindow.size() - 1)[0] - inWindow.get(0)[0];
                long after = inWindow.stream().skip(1).mapToLong(b -> b[1]).sum();
                rate = after / (span / 1e9);
            }
            System.out.println();
            System.out.println("| figure | value | target |");
            System.out.println("|---|---|---|");
            System.out.printf(Locale.ROOT, "| monitored items held | %d | >= 10,000 |%n", held);
            System.out.printf(Locale.ROOT, "| publishing interval / sampling interval / queue size | %d ms / %d ms / %d | 1 s publishing |%n",
                    publishingMs, samplingMs, queue);
            System.out.printf(Locale.ROOT, "| notifications received in the window | %,d in %.1f s (%d publish responses) | |%n",
                    n, secs, inWindow.size());
            System.out.printf(Locale.ROOT, "| notifications per second (window average) | %,.0f | >= 10,000 |%n", n / secs);
            System.out.printf(Locale.ROOT, "| notifications per second (first to last publish in the window) | %,.0f | |%n",
                    rate);
            System.out.printf(Locale.ROOT, "| bad-quality notifications | %d | 0 |%n", bad.get());
            System.out.printf(Locale.ROOT, "| client CPU (driver + Milo client, whole JVM) | %.1f %% of one core | <= 10 %% |%n",
                    100.0 * cpu / wall);
            System.out.printf(Locale.ROOT, "| client CPU per 1,000 notifications | %.2f ms | |%n",
                    n == 0 ? 0.0 : cpu / 1e6 / (n / 1000.0));
            System.out.printf(Locale.ROOT, "| server CPU (Milo server JVM, sampling %d items/s) | %.1f %% of one core | |%n",
                    items, 100.0 * serverCpu / wall);
            System.out.printf(Locale.ROOT, "| readAll of %d channels (1/s), median / max | %.2f / %.2f ms | |%n", items,
                    readAllNanos[0] / 1e6, readAllNanos[1] / 1e6);
            System.out.printf(Locale.ROOT, "| connect + create %d monitored items | %d ms | |%n", items, connectMs);
        }
    }

    /** readAll once a second for {@code d}, as the edge agent polls; returns median and max readAll time in ns. */
    private static long[] pollFor(Driver driver, Duration d) throws InterruptedException {
        List<Long> times = new CopyOnWriteArrayList<>();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        try {
            poller.scheduleAtFixedRate(() -> {
                long s = System.nanoTime();
                driver.readAll().toCompletableFuture().join();
                times.add(System.nanoTime() - s);
            }, 0, 1, TimeUnit.SECONDS);
            new CountDownLatch(1).await(d.toNanos(), TimeUnit.NANOSECONDS); // the measured window
        } finally {
            poller.shutdownNow();
            poller.awaitTermination(30, TimeUnit.SECONDS);
        }
        List<Long> sorted = new ArrayList<>(times);
        sorted.sort(null);
        return sorted.isEmpty() ? new long[]{0, 0} : new long[]{sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1)};
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long cpuNanos(Process p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static Process startServer(int items, Path pki) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath(),
                "io.hazwatch.sims.SimulatorCli", "opcua", "--port", "0", "--tanks", "1", "--items",
                Integer.toString(items), "--tick-ms", "1000", "--pki-dir", pki.toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String awaitEndpoint(Process server) throws Exception {
        CompletableFuture<String> endpoint = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        endpoint.complete(m.group(1));
                    } else if (!endpoint.isDone()) {
                        System.out.println("server: " + line);
                    }
                }
            } catch (IOException e) {
                endpoint.completeExceptionally(e);
            }
            endpoint.completeExceptionally(new IllegalStateException("the server exited"));
        }, "bench-server-output");
        t.setDaemon(true);
        t.start();
        return endpoint.get(120, TimeUnit.SECONDS);
    }

    /** The classpath this bench runs with (exec:java runs it in a class loader, not on java.class.path). */
    private static String classPath() {
        List<String> entries = new ArrayList<>();
        for (ClassLoader cl = Thread.currentThread().getContextClassLoader(); cl != null; cl = cl.getParent()) {
            if (cl instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                        entries.add(url.getPath());
                    }
                }
            }
        }
        String own = System.getProperty("java.class.path");
        if (entries.isEmpty() || entries.stream().noneMatch(e -> e.contains("hardware-sims"))) {
            return own;
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            out.put(args[i].substring(2), args[i + 1]);
        }
        return out;
    }
}
