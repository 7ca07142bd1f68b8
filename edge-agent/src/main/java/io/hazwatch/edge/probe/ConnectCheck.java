package io.hazwatch.edge.probe;

import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import io.hazwatch.edge.config.DeviceConfig;
import io.hazwatch.edge.config.EdgeConfig;
import io.hazwatch.edge.config.PointConfig;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code edge validate --connect}: creates each device's driver, reads it, and reports every point
 * good or bad with the driver's reason, before the box is left on site.
 *
 * <p>A device is read again (at its poll interval, at most every half second) while some of its points
 * are not good, for up to {@code wait}: instruments that talk by themselves need a moment to say
 * something. A device whose driver is backing off after a failed connect is not read again.
 *
 * <p>A device is <em>unreachable</em> when none of its points is good and every one is
 * {@link Quality#BAD_COMM_FAIL} or {@link Quality#BAD_TIMEOUT}, or when its read did not finish.
 * Exit codes: {@link #EXIT_OK} all points good; {@link #EXIT_UNREACHABLE} a device is unreachable;
 * {@link #EXIT_POINTS_BAD} every device answered but some points are bad.
 */
public final class ConnectCheck {

    public static final int EXIT_OK = 0;
    public static final int EXIT_UNREACHABLE = 1;
    public static final int EXIT_POINTS_BAD = 3;

    private static final long MAX_RETRY_GAP_MS = 500;

    private final List<DriverFactory> factories;
    private final Clock clock;
    private final Duration wait;

    public ConnectCheck(List<DriverFactory> factories, Clock clock, Duration wait) {
        this.factories = List.copyOf(factories);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.wait = Objects.requireNonNull(wait, "wait");
    }

    /** What reading one device gave. */
    private record Result(DeviceConfig device, List<Sample> samples, String failure) {
        boolean reachable() {
            return failure == null && samples.stream().anyMatch(s -> s.quality().isGood()
                    || (s.quality() != Quality.BAD_COMM_FAIL && s.quality() != Quality.BAD_TIMEOUT));
        }

        long good() {
            return samples.stream().filter(s -> s.quality().isGood()).count();
        }
    }

    /** Reads every device of {@code config} and prints the report; returns the exit code. */
    public int run(EdgeConfig config, PrintWriter out) {
        Map<String, DriverFactory> byType = new LinkedHashMap<>();
        factories.forEach(f -> byType.putIfAbsent(f.type(), f));
        out.printf("connecting to %d devices (up to %d s for instruments that talk by themselves)%n",
                config.devices().size(), wait.toSeconds());
        out.flush();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "validate-connect");
            t.setDaemon(true);
            return t;
        });
        List<Driver> drivers = new ArrayList<>();
        List<CompletableFuture<Result>> pending = new ArrayList<>();
        long deadline = clock.millis() + wait.toMillis();
        try {
            for (DeviceConfig device : config.devices()) {
                Driver driver;
                try {
                    driver = byType.get(device.driver()).create(device.toDeviceSpec(), clock);
                } catch (DriverConfigException | RuntimeException e) {
                    pending.add(CompletableFuture.completedFuture(new Result(device, List.of(),
                            "the driver refused the device: " + e.getMessage())));
                    continue;
                }
                drivers.add(driver);
                CompletableFuture<Result> result = new CompletableFuture<>();
                attempt(device, driver, deadline, timer, result);
                pending.add(result);
            }
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                DeviceConfig device = config.devices().get(i);
                try {
                    results.add(pending.get(i).get(wait.toMillis() + 30_000, TimeUnit.MILLISECONDS));
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    results.add(new Result(device, List.of(), "the read did not finish: " + e));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    results.add(new Result(device, List.of(), "interrupted"));
                }
            }
            return report(results, out);
        } finally {
            timer.shutdownNow();
            drivers.forEach(Driver::close);
        }
    }

    private void attempt(DeviceConfig device, Driver driver, long deadline, ScheduledExecutorService timer,
                         CompletableFuture<Result> result) {
        driver.readAll().whenComplete((samples, failure) -> {
            if (failure != null) {
                result.complete(new Result(device, List.of(), String.valueOf(failure.getMessage())));
                return;
            }
            boolean allGood = samples.stream().allMatch(s -> s.quality().isGood());
            long now = clock.millis();
            if (allGood || now >= deadline || driver.state() == DriverState.BACKING_OFF) {
                result.complete(new Result(device, samples, null));
                return;
            }
            long gap = Math.min(Math.min(device.pollIntervalMs(), MAX_RETRY_GAP_MS), deadline - now);
            timer.schedule(() -> attempt(device, driver, deadline, timer, result), gap, TimeUnit.MILLISECONDS);
        });
    }

    private static int report(List<Result> results, PrintWriter out) {
        int unreachable = 0;
        long badPoints = 0;
        long points = 0;
        for (Result r : results) {
            DeviceConfig d = r.device();
            String head = "device " + d.name() + " (" + d.driver() + "): ";
            if (r.failure() != null) {
                out.println(head + "UNREACHABLE: " + r.failure());
                unreachable++;
                points += d.points().size();
                badPoints += d.points().size();
                continue;
            }
            boolean reachable = r.reachable();
            if (!reachable) {
                unreachable++;
            }
            out.println(head + (reachable ? "reachable" : "UNREACHABLE") + ", " + r.good() + " of "
                    + r.samples().size() + " points good");
            int width = d.points().stream().mapToInt(p -> p.name().length()).max().orElse(0);
            for (int i = 0; i < r.samples().size(); i++) {
                Sample s = r.samples().get(i);
                PointConfig p = d.points().get(i);
                String name = p.name() + " ".repeat(width - p.name().length());
                if (s.quality().isGood()) {
                    out.println("  " + name + "  GOOD  " + s.value() + (p.unit().isEmpty() ? "" : " " + p.unit()));
                } else {
                    out.println("  " + name + "  " + s.quality() + "  " + s.reason());
                    badPoints++;
                }
                points++;
            }
        }
        int code = unreachable > 0 ? EXIT_UNREACHABLE : badPoints > 0 ? EXIT_POINTS_BAD : EXIT_OK;
        out.println((code == EXIT_OK ? "ok: " : "FAILED: ") + (results.size() - unreachable) + " of " + results.size()
                + " devices reachable, " + (points - badPoints) + " of " + points + " points good");
        out.flush();
        return code;
    }
}
