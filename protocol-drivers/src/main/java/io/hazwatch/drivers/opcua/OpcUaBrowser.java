package io.hazwatch.drivers.opcua;

import io.hazwatch.drivers.opcua.internal.AddressSpaceBrowser;
import io.hazwatch.drivers.opcua.internal.OpcUaConfigParser;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.DriverConfigException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an OPC UA server has, for the engineer writing a configuration (the probe CLI's
 * {@code browse}): its endpoints, and its address space as a list of nodes with the node ids a
 * channel's {@code nodeId} takes. Blocking; each call opens its own session and closes it.
 */
public final class OpcUaBrowser {

    /** The Objects folder, where a server's own nodes start (OPC UA Part 5, 8.2.4). */
    public static final String OBJECTS_FOLDER = "i=85";
    public static final int MAX_DEPTH = 10;
    /** A browse stops after this many nodes; browse deeper from a node further down instead. */
    public static final int MAX_NODES = 20_000;

    private OpcUaBrowser() {
    }

    /**
     * Nodes under {@code startNode} (e.g. {@link #OBJECTS_FOLDER}, {@code ns=2;s=TankFarm}), down to
     * {@code depth} levels (1..{@value #MAX_DEPTH}), in depth-first order; security None, anonymous.
     */
    public static List<OpcUaNode> browse(String endpointUrl, String startNode, int depth) throws OpcUaConnectException {
        try {
            return browse(new DeviceSpec("browse", OpcUaDriverFactory.TYPE, Map.of("endpointUrl", endpointUrl),
                    List.of(), endpointUrl), startNode, depth);
        } catch (DriverConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Like {@link #browse(String, String, int)}, connecting with a device's settings (endpoint,
     * security, identity, pkiDir; its channels are ignored and may be absent).
     *
     * @throws DriverConfigException if the device's connection settings are wrong
     */
    public static List<OpcUaNode> browse(DeviceSpec device, String startNode, int depth)
            throws OpcUaConnectException, DriverConfigException {
        Objects.requireNonNull(startNode, "startNode");
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("depth must be 1.." + MAX_DEPTH + ", got " + depth);
        }
        OpcUaDeviceConfig config = OpcUaConfigParser.parseConnection(device, defaultPkiDir());
        return AddressSpaceBrowser.browse(config, startNode, depth, MAX_NODES);
    }

    /** The endpoints the server offers (GetEndpoints); needs no session, no certificate. */
    public static List<OpcUaEndpoint> endpoints(String endpointUrl) throws OpcUaConnectException {
        return AddressSpaceBrowser.endpoints(Objects.requireNonNull(endpointUrl, "endpointUrl"),
                OpcUaDeviceConfig.DEFAULT_REQUEST_TIMEOUT_MS);
    }

    private static Path defaultPkiDir() {
        return Path.of(System.getProperty(OpcUaDriverFactory.PKI_DIR_PROPERTY, "opcua-pki"));
    }
}
