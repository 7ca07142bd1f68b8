package io.hazwatch.edge.probe;

import io.hazwatch.drivers.opcua.OpcUaBrowser;
import io.hazwatch.drivers.opcua.OpcUaConnectException;
import io.hazwatch.drivers.opcua.OpcUaDriverFactory;
import io.hazwatch.drivers.opcua.OpcUaEndpoint;
import io.hazwatch.drivers.opcua.OpcUaNode;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.DriverConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code edge probe opcua}: {@code browse} an OPC UA server, on the OPC UA driver's {@link OpcUaBrowser}. */
@Command(name = "opcua", mixinStandardHelpOptions = true,
        description = "OPC UA probes: browse a server's node tree.",
        subcommands = OpcUaProbeCommand.Browse.class)
final class OpcUaProbeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ProbeCommand.EXIT_USAGE;
    }

    /** {@code edge probe opcua browse --endpoint URL [--depth N]}. */
    @Command(name = "browse", mixinStandardHelpOptions = true,
            description = {"Print the node tree under a node (the Objects folder by default): node class, the node id"
                    + " a point's 'nodeId' takes, browse name and, for variables, the data type.",
                    "Connects with security None and anonymously unless told otherwise (the options below take the"
                            + " driver's property values; docs/drivers-opcua.md)."})
    static final class Browse implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--endpoint", required = true, paramLabel = "URL", description = "e.g. opc.tcp://dcs:4840")
        String endpoint;

        @Option(names = "--depth", defaultValue = "3",
                description = "Levels below the start node, 1..10. Default: ${DEFAULT-VALUE}.")
        int depth;

        @Option(names = "--start", defaultValue = OpcUaBrowser.OBJECTS_FOLDER, paramLabel = "NODE",
                description = "Node to start from, e.g. ns=2;s=TankFarm. Default: ${DEFAULT-VALUE} (Objects).")
        String start;

        @Option(names = "--endpoints", description = "First list the endpoints (security policies, modes,"
                + " identities) the server offers.")
        boolean listEndpoints;

        @Option(names = "--security-policy", paramLabel = "POLICY", description = "none or basic256sha256.")
        String securityPolicy;

        @Option(names = "--security-mode", paramLabel = "MODE", description = "none, sign or signAndEncrypt.")
        String securityMode;

        @Option(names = "--username", description = "User name (the identity becomes username).")
        String username;

        @Option(names = "--password", description = "Password for --username.")
        String password;

        @Option(names = "--pki-dir", paramLabel = "DIR",
                description = "Where the client certificate and trust list live (as the driver's pkiDir).")
        String pkiDir;

        @Override
        public Integer call() {
            if (depth < 1 || depth > OpcUaBrowser.MAX_DEPTH) {
                throw new ParameterException(spec.commandLine(), "--depth must be 1.." + OpcUaBrowser.MAX_DEPTH
                        + ", got " + depth);
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                if (listEndpoints) {
                    printEndpoints(out, OpcUaBrowser.endpoints(endpoint));
                }
                List<OpcUaNode> nodes = OpcUaBrowser.browse(device(), start, depth);
                printTree(out, nodes);
            } catch (OpcUaConnectException e) {
                err.println(endpoint + ": " + e.reason() + ": " + e.getMessage());
                err.flush();
                return ProbeCommand.EXIT_NO_ANSWER;
            } catch (DriverConfigException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), String.valueOf(e.getMessage()));
            }
            return ProbeCommand.EXIT_OK;
        }

        private DeviceSpec device() {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("endpointUrl", endpoint);
            putIfGiven(props, "securityPolicy", securityPolicy);
            putIfGiven(props, "securityMode", securityMode);
            putIfGiven(props, "username", username);
            putIfGiven(props, "password", password);
            putIfGiven(props, "pkiDir", pkiDir);
            return new DeviceSpec("probe", OpcUaDriverFactory.TYPE, props, List.of(), "edge probe opcua browse");
        }

        private static void putIfGiven(Map<String, Object> props, String key, String value) {
            if (value != null) {
                props.put(key, value);
            }
        }

        private static void printEndpoints(PrintWriter out, List<OpcUaEndpoint> endpoints) {
            out.println("endpoints:");
            for (OpcUaEndpoint e : endpoints) {
                out.printf("  %-15s %-15s %-40s level %3d%s  %s%n", e.securityPolicy(), e.securityMode(),
                        String.join(",", e.identities()), e.securityLevel(), e.supported() ? "" : " (unsupported)",
                        e.endpointUrl());
            }
            out.println();
        }

        /** One line per node: the node id indented by depth, browse name, node class, data type. */
        private void printTree(PrintWriter out, List<OpcUaNode> nodes) {
            out.println(endpoint + " from " + start + ", depth " + depth);
            int idWidth = nodes.stream().mapToInt(n -> n.nodeId().length() + 2 * (n.depth() - 1)).max().orElse(1);
            int nameWidth = nodes.stream().mapToInt(n -> n.browseName().length()).max().orElse(1);
            long variables = 0;
            for (OpcUaNode n : nodes) {
                String id = "  ".repeat(n.depth() - 1) + n.nodeId();
                String line = String.format("%-" + idWidth + "s  %-" + nameWidth + "s  %-8s  %s", id, n.browseName(),
                        n.nodeClass(), n.dataType());
                out.println(line.stripTrailing());
                if (n.isVariable()) {
                    variables++;
                }
            }
            out.println(nodes.size() + " nodes, " + variables + " variables"
                    + (nodes.size() >= OpcUaBrowser.MAX_NODES ? " (stopped at " + OpcUaBrowser.MAX_NODES
                    + "; browse from a node further down)" : ""));
            out.flush();
        }
    }
}
