package io.hazwatch.edge;

import io.hazwatch.drivers.opcua.OpcUaDriverFactory;
import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.edge.config.EdgeConfig;
import io.hazwatch.edge.config.EdgeConfigLoader;
import io.hazwatch.node.NodeRuntime;
import io.hazwatch.node.config.ConfigError;
import io.hazwatch.node.config.ConfigException;
import io.hazwatch.sync.link.UplinkStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code edge} command: {@code edge run --config FILE} runs an edge agent over its node runtime
 * (journal and uplink); {@code edge validate --config FILE} only loads and checks the configuration.
 *
 * <p>Exit codes: 0 ok; 1 the agent could not start or stopped on an error; 2 the configuration (or the
 * command line) was refused, with every problem printed as {@code file:line:col: message}.
 */
@Command(name = "edge", mixinStandardHelpOptions = true, version = "HazWatch edge agent 0.1",
        description = "HazWatch edge agent: polls instruments, raises alarms at the edge and forwards readings"
                + " to its county/city/province parents.",
        subcommands = {EdgeMain.Run.class, EdgeMain.Validate.class, io.hazwatch.edge.probe.ProbeCommand.class,
                CommandLine.HelpCommand.class})
public final class EdgeMain implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(EdgeMain.class);

    /** Exit code of a refused configuration or command line. */
    public static final int EXIT_CONFIG = ConfigException.EXIT_CODE;
    /** Exit code of an agent that could not start or failed. */
    public static final int EXIT_FAILURE = 1;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line with the process's standard streams; returns the exit code. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** The {@code edge} command, e.g. to add as a subcommand of a distribution's main command. */
    public static CommandLine commandLine() {
        return new CommandLine(new EdgeMain());
    }

    /** Runs the command line writing to the given streams; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_CONFIG;
    }

    /** Loads a configuration, printing its problems; empty when refused. */
    static Optional<EdgeConfig> load(Path file, PrintWriter err) {
        try {
            return Optional.of(EdgeConfigLoader.load(file));
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            err.println(e.errors().size() == 1 ? "1 problem" : e.errors().size() + " problems");
            err.flush();
            return Optional.empty();
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Load and check an edge configuration (including each device with its driver);"
                    + " print 'ok' or every problem, as file:line:col: message.")
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "edge YAML file")
        Path config;

        @Option(names = "--connect", description = "also read every device once and report each point good or bad;"
                + " exit 1 if a device is unreachable, 3 if some points are bad (docs/probe.md)")
        boolean connect;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "5", description = "with --connect: how long"
                + " to keep reading devices whose points are not all good yet (default: ${DEFAULT-VALUE})")
        int waitSeconds;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Optional<EdgeConfig> loaded = load(config, spec.commandLine().getErr());
            if (loaded.isEmpty()) {
                return EXIT_CONFIG;
            }
            EdgeConfig c = loaded.get();
            out.println("ok: " + config + ": edge " + c.node().id() + ", site " + c.site().code() + ", "
                    + c.devices().size() + " devices, " + c.pointCount() + " points");
            out.flush();
            if (connect) {
                return new io.hazwatch.edge.probe.ConnectCheck(io.hazwatch.drivers.spi.DriverFactory.installed(),
                        Clock.systemUTC(), java.time.Duration.ofSeconds(Math.max(0, waitSeconds))).run(c, out);
            }
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run the edge agent: journal, uplink to the parents, and polling.",
                    "On SIGTERM or Ctrl-C it stops polling, journals what it read, gives the uplink up to --drain"
                            + " seconds to forward the journal, and exits; what is not forwarded stays in the"
                            + " journal for the next start."})
    static final class Run implements Callable<Integer> {
        private static final long DRAIN_CHECK_MILLIS = 200;

        @Spec
        CommandSpec spec;

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "edge YAML file")
        Path config;

        @Option(names = "--status-every", paramLabel = "SECONDS", defaultValue = "5",
                description = "print a status line this often; 0 for never (default: ${DEFAULT-VALUE})")
        int statusEvery;

        @Option(names = "--drain", paramLabel = "SECONDS", defaultValue = "10",
                description = "on stop, wait at most this long for the parent to take the journal"
                        + " (default: ${DEFAULT-VALUE})")
        int drainSeconds;

        @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
                description = "stop by itself after this long; 0 runs until stopped (default: ${DEFAULT-VALUE})")
        int duration;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<EdgeConfig> loaded = load(config, err);
            if (loaded.isEmpty()) {
                return EXIT_CONFIG;
            }
            EdgeConfig c = loaded.get();
            Clock clock = Clock.systemUTC();
            // OPC UA certificates (own, trusted, rejected) live with the box's data unless told otherwise
            if (System.getProperty(OpcUaDriverFactory.PKI_DIR_PROPERTY) == null) {
                System.setProperty(OpcUaDriverFactory.PKI_DIR_PROPERTY,
                        c.node().dataDir().resolve("opcua-pki").toString());
            }
            NodeRuntime runtime;
            try {
                runtime = NodeRuntime.start(c.node(), clock);
            } catch (IOException | RuntimeException e) {
                err.println("cannot start edge node " + c.node().id() + ": " + e);
                err.flush();
                return EXIT_FAILURE;
            }
            EdgeAgent agent;
            try {
                agent = EdgeAgent.create(c, runtime.localSink(), clock);
            } catch (DriverConfigException e) {
                for (ConfigProblem p : e.problems()) {
                    err.println(p);
                }
                err.flush();
                runtime.close();
                return EXIT_CONFIG;
            }
            runtime.http().ifPresent(h -> h.route("/edge", q -> agent.status()));
            CountDownLatch stopRequested = new CountDownLatch(1);
            CountDownLatch stopped = new CountDownLatch(1);
            // the JVM exits when its shutdown hooks return: this one waits for the orderly stop below
            Thread hook = new Thread(() -> {
                stopRequested.countDown();
                awaitQuietly(stopped, drainSeconds + 20L);
            }, "edge-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "edge-status");
                t.setDaemon(true);
                return t;
            });
            try {
                agent.start();
                if (statusEvery > 0) {
                    printer.scheduleAtFixedRate(() -> {
                        out.println(statusLine(agent, runtime));
                        out.flush();
                    }, statusEvery, statusEvery, TimeUnit.SECONDS);
                }
                awaitQuietly(stopRequested, duration > 0 ? duration : Long.MAX_VALUE);
                printer.shutdownNow();
                agent.close();
                drain(runtime, out);
            } finally {
                printer.shutdownNow();
                agent.close();
                String last = statusLine(agent, runtime);
                runtime.close();
                out.println(last);
                out.flush();
                stopped.countDown();
                removeHook(hook);
            }
            return 0;
        }

        /** Gives the uplink up to {@code --drain} seconds to forward what the journal holds. */
        private void drain(NodeRuntime runtime, PrintWriter out) {
            long pending = runtime.status().journalPending();
            if (pending == 0 || drainSeconds <= 0) {
                return;
            }
            out.println("stopping: forwarding " + pending + " journaled records to the parent (up to " + drainSeconds
                    + " s)");
            out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainSeconds);
            while (runtime.status().journalPending() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(DRAIN_CHECK_MILLIS); // the uplink has no completion signal to wait on
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            long left = runtime.status().journalPending();
            if (left > 0) {
                out.println("stopping: " + left + " records stay in the journal until the next start");
                out.flush();
            }
        }

        private static void removeHook(Thread hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                log.debug("shutting down; hook stays: {}", e.toString());
            }
        }
    }

    /** The agent's summary and, when the node has an uplink, its state and backlog. */
    static String statusLine(EdgeAgent agent, NodeRuntime runtime) {
        String line = agent.status().summary();
        UplinkStatus u = runtime.status().uplink();
        if (u == null) {
            return line;
        }
        return line + " | uplink " + u.state() + " -> " + u.parent() + ", backlog " + u.backlog() + ", acked "
                + u.recordsAcked();
    }

    private static void awaitQuietly(CountDownLatch latch, long seconds) {
        try {
            if (!latch.await(seconds, TimeUnit.SECONDS)) {
                log.debug("waited {} s", seconds);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
