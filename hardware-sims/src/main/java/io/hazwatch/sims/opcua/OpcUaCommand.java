package io.hazwatch.sims.opcua;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code hazwatch-sim opcua}: one OPC UA tank-farm DCS simulator in this process. Prints one line
 * {@code opcua listening on opc.tcp://HOST:PORT/hazwatch ...} when it serves (tools and the OPC UA
 * benchmark read the endpoint from it). Exit codes: 0 done, 1 cannot start, 2 bad arguments.
 */
@Command(name = "opcua", mixinStandardHelpOptions = true,
        description = {"Simulates a tank-farm DCS behind an OPC UA server (Eclipse Milo).",
                "Tags per tank: LT-1001 level, TT-1001 temperature, PT-1001 pressure, AT-1001 gas (+ .AL1/.AL2).",
                "Endpoints: None, Basic256Sha256 Sign and SignAndEncrypt; anonymous, user name and certificate.",
                "Runs until interrupted unless --duration is given. Reference: docs/drivers-opcua.md."})
public final class OpcUaCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(OpcUaCommand.class);

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", defaultValue = "4840", paramLabel = "PORT",
            description = "TCP port; 0 = a free port. Default: ${DEFAULT-VALUE}.")
    private int port;

    @Option(names = "--bind", defaultValue = OpcUaSimulatorOptions.DEFAULT_BIND_ADDRESS, paramLabel = "ADDRESS",
            description = "Interface to listen on, e.g. 0.0.0.0 for all. Default: ${DEFAULT-VALUE}.")
    private String bind;

    @Option(names = "--tanks", defaultValue = "4", description = "Tanks (1..100). Default: ${DEFAULT-VALUE}.")
    private int tanks;

    @Option(names = "--items", defaultValue = "0", paramLabel = "N",
            description = "Extra Bench.NNNNN items that all change on every tick (0..100000), for load tests. "
                    + "Default: ${DEFAULT-VALUE}.")
    private int items;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed of the model. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--tick-ms", defaultValue = "1000", paramLabel = "MS",
            description = "Real milliseconds per model step (values change once per step). Default: ${DEFAULT-VALUE}.")
    private long tickMillis;

    @Option(names = "--pki-dir", paramLabel = "DIR",
            description = "Where the server keeps its certificate (own/server.der is the file clients must trust) "
                    + "and the client certificates it trusts. Default: a temporary directory.")
    private Path pkiDir;

    @Option(names = "--user", paramLabel = "NAME:PASSWORD",
            description = "A user for the UserName token; repeat for more. Default: operator:hazwatch.")
    private List<String> users;

    @Option(names = "--no-anonymous", description = "Refuse the Anonymous identity token.")
    private boolean noAnonymous;

    @Option(names = "--trusted-clients-only",
            description = "Accept only client certificates in PKI_DIR/trusted/certs (default: accept any).")
    private boolean trustedClientsOnly;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop after this many seconds (0 = start, report, stop). Default: run until interrupted.")
    private Long durationSeconds;

    @Override
    public Integer call() throws InterruptedException {
        OpcUaSimulatorOptions options = options();
        PrintWriter out = spec.commandLine().getOut();
        OpcUaSimulator sim;
        try {
            sim = OpcUaSimulator.start(options);
        } catch (UncheckedIOException e) {
            spec.commandLine().getErr().println("cannot start: " + e.getMessage());
            return 1;
        }
        out.printf("opcua listening on %s, %d tanks, %d bench items, seed %d, namespace %s%n", sim.endpointUrl(),
                sim.options().tanks(), sim.options().benchItems(), sim.options().seed(), OpcUaSimulator.NAMESPACE_URI);
        out.printf("opcua server certificate: %s (application URI %s)%n", sim.certificateFile().toAbsolutePath(),
                sim.applicationUri());
        out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            sim.close();
            stop.countDown();
        }, "opcua-sim-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (durationSeconds == null) {
                stop.await();
            } else {
                stop.await(durationSeconds, TimeUnit.SECONDS);
            }
        } finally {
            sim.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                LOG.debug("JVM already shutting down; the hook runs itself", e);
            }
        }
        out.println("opcua stopped");
        out.flush();
        return 0;
    }

    private OpcUaSimulatorOptions options() {
        CommandLine cl = spec.commandLine();
        if (tickMillis < 1) {
            throw new ParameterException(cl, "--tick-ms must be at least 1, got " + tickMillis);
        }
        if (durationSeconds != null && durationSeconds < 0) {
            throw new ParameterException(cl, "--duration must not be negative, got " + durationSeconds);
        }
        OpcUaSimulatorOptions.Builder b = OpcUaSimulatorOptions.builder().bindAddress(bind).port(port).tanks(tanks)
                .benchItems(items).seed(seed).tickInterval(Duration.ofMillis(tickMillis))
                .allowAnonymous(!noAnonymous).trustAllClients(!trustedClientsOnly);
        if (pkiDir != null) {
            b.pkiDir(pkiDir);
        }
        if (users != null && !users.isEmpty()) {
            Map<String, String> parsed = new LinkedHashMap<>();
            for (String u : users) {
                int colon = u.indexOf(':');
                if (colon < 1 || colon == u.length() - 1) {
                    throw new ParameterException(cl, "--user must be NAME:PASSWORD, got '" + u + "'");
                }
                parsed.put(u.substring(0, colon), u.substring(colon + 1));
            }
            b.users(parsed);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage(), e);
        }
    }
}
