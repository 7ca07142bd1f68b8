package io.hazwatch.node.cli;

import io.hazwatch.node.NodeStatus;
import io.hazwatch.node.config.ConfigError;
import io.hazwatch.node.config.ConfigException;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeConfigLoader;
import io.hazwatch.node.config.NodeRole;
import io.hazwatch.sync.link.ChildLinkStatus;
import io.hazwatch.sync.link.UplinkStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every node's {@code run} command shares: load one YAML file (every problem listed, exit 2),
 * start, print a status line every few seconds, stop cleanly on SIGTERM or Ctrl-C. Output goes to the
 * command line's streams ({@link picocli.CommandLine#setOut}, {@link picocli.CommandLine#setErr}).
 */
public abstract class NodeCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Node config (YAML).")
    protected Path config;

    @Option(names = "--status-every", paramLabel = "SECONDS", defaultValue = "5",
            description = "Print a status line this often; 0 for never (default: ${DEFAULT-VALUE}).")
    protected int statusEvery;

    /** The role this command runs; a config of another role is refused. */
    protected abstract NodeRole role();

    /** Starts the node; returns what to close on shutdown and how to read its status. */
    protected abstract Running start(NodeConfig config) throws IOException;

    /** A started node. */
    public record Running(AutoCloseable node, Supplier<NodeStatus> status) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NodeConfig cfg;
        try {
            cfg = NodeConfigLoader.load(config);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            err.println(e.errors().size() == 1 ? "1 problem" : e.errors().size() + " problems");
            err.flush();
            return ConfigException.EXIT_CODE;
        }
        if (cfg.role() != role()) {
            err.println(config + ": role is " + cfg.role().name().toLowerCase() + ", but this command runs a "
                    + role().name().toLowerCase() + " node");
            err.flush();
            return ConfigException.EXIT_CODE;
        }
        Running running;
        try {
            running = start(cfg);
        } catch (IOException | RuntimeException e) {
            err.println("node " + cfg.id() + " could not start: " + e.getMessage());
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.node().close();
            } catch (Exception e) { // AutoCloseable.close declares Exception; report and go on stopping
                err.println("error while stopping " + cfg.id() + ": " + e);
                err.flush();
            }
            stopped.countDown();
        }, "shutdown"));
        try {
            while (!stopped.await(statusEvery > 0 ? statusEvery : 3600, java.util.concurrent.TimeUnit.SECONDS)) {
                if (statusEvery > 0) {
                    out.println(statusLine(running.status().get()));
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** One line a technician can read at a glance. */
    public static String statusLine(NodeStatus s) {
        StringBuilder sb = new StringBuilder();
        sb.append(s.id()).append(' ').append(s.role());
        if (!s.children().isEmpty()) {
            long up = s.children().values().stream().filter(ChildLinkStatus::connected).count();
            long recs = s.children().values().stream().mapToLong(ChildLinkStatus::records).sum();
            sb.append(" | children ").append(up).append('/').append(s.children().size()).append(" up, ")
                    .append(recs).append(" records in");
        }
        UplinkStatus u = s.uplink();
        if (u != null) {
            sb.append(" | uplink ").append(u.state()).append(" -> ").append(u.parent())
                    .append(", backlog ").append(u.backlog());
            if (u.backlog() > 0) {
                sb.append(" (oldest ").append(Duration.ofMillis(u.oldestPendingAgeMillis()).toSeconds()).append(" s, ")
                        .append(u.estimatedDrainSeconds() < 0 ? "not draining"
                                : "drains in ~" + u.estimatedDrainSeconds() + " s at "
                                + Math.round(u.drainRatePerSecond()) + "/s")
                        .append(')');
            }
            sb.append(", sent ").append(u.recordsSent()).append(", acked ").append(u.recordsAcked());
        }
        if (s.journalEvicted() > 0) {
            sb.append(" | EVICTED ").append(s.journalEvicted()).append(" over quota");
        }
        if (s.journalCorrupted() > 0) {
            sb.append(" | DAMAGED ").append(s.journalCorrupted()).append(" set aside (see log)");
        }
        return sb.toString();
    }

    protected static void print(PrintStream out, String s) {
        out.println(s);
    }
}
