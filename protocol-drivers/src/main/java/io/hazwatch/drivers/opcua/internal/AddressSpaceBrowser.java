package io.hazwatch.drivers.opcua.internal;

import io.hazwatch.drivers.opcua.OpcUaConnectException;
import io.hazwatch.drivers.opcua.OpcUaConnectException.Reason;
import io.hazwatch.drivers.opcua.OpcUaDeviceConfig;
import io.hazwatch.drivers.opcua.OpcUaEndpoint;
import io.hazwatch.drivers.opcua.OpcUaNode;
import io.hazwatch.drivers.opcua.OpcUaSecurityPolicy;
import org.eclipse.milo.opcua.sdk.client.BrowseHelper;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.OpcUaDataType;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Walks a server's address space along hierarchical references (Browse, OPC UA Part 4, 5.8.2), level
 * by level, a bounded number of Browse calls in flight at a time, continuation points followed. Nodes
 * already seen are not visited again (address spaces may have cycles). Returns the nodes in depth-first
 * pre-order, the order a tree is printed in.
 */
public final class AddressSpaceBrowser {

    /** At most this many Browse requests in flight at a time. */
    private static final int PARALLEL = 16;
    private static final int READ_BATCH = 500;

    private final OpcUaClient client;
    private final long timeoutMs;
    private final int maxNodes;

    public AddressSpaceBrowser(OpcUaClient client, long timeoutMs, int maxNodes) {
        this.client = client;
        this.timeoutMs = timeoutMs;
        this.maxNodes = maxNodes;
    }

    /** Connects with {@code config}, browses, disconnects. */
    public static List<OpcUaNode> browse(OpcUaDeviceConfig config, String startNode, int depth, int maxNodes)
            throws OpcUaConnectException {
        OpcUaClient client = new Connector(config).connect();
        try {
            return new AddressSpaceBrowser(client, config.requestTimeoutMs(), maxNodes).browse(startNode, depth);
        } finally {
            Connector.disconnectQuietly(client, config.requestTimeoutMs());
        }
    }

    /** What the server at {@code url} offers. */
    public static List<OpcUaEndpoint> endpoints(String url, int timeoutMs) throws OpcUaConnectException {
        List<OpcUaEndpoint> out = new ArrayList<>();
        for (EndpointDescription e : Connector.discover(url, timeoutMs)) {
            Optional<OpcUaSecurityPolicy> policy = OpcUaSecurityPolicy.fromUri(e.getSecurityPolicyUri());
            List<String> identities = new ArrayList<>();
            if (e.getUserIdentityTokens() != null) {
                for (UserTokenPolicy t : e.getUserIdentityTokens()) {
                    String name = Connector.identityName(t.getTokenType());
                    if (!identities.contains(name)) {
                        identities.add(name);
                    }
                }
            }
            boolean tcp = Stack.TCP_UASC_UABINARY_TRANSPORT_URI.equals(e.getTransportProfileUri());
            out.add(new OpcUaEndpoint(e.getEndpointUrl(), policy.map(OpcUaSecurityPolicy::configName)
                    .orElse(e.getSecurityPolicyUri()), Connector.modeName(e.getSecurityMode()), identities,
                    e.getSecurityLevel() == null ? 0 : e.getSecurityLevel().intValue(), tcp && policy.isPresent()));
        }
        return out;
    }

    /** Nodes under {@code startNode} down to {@code depth} levels. */
    public List<OpcUaNode> browse(String startNode, int depth) throws OpcUaConnectException {
        NodeId start = resolve(startNode);
        NamespaceTable namespaces = namespaceTable();
        Map<NodeId, List<Found>> children = new HashMap<>();
        Set<NodeId> seen = new HashSet<>();
        seen.add(start);
        List<NodeId> level = List.of(start);
        int count = 0;
        for (int d = 1; d <= depth && !level.isEmpty() && count < maxNodes; d++) {
            Map<NodeId, List<ReferenceDescription>> refs = browseAll(level);
            List<NodeId> next = new ArrayList<>();
            List<Found> variables = new ArrayList<>();
            for (NodeId parent : level) {
                List<Found> kids = new ArrayList<>();
                for (ReferenceDescription r : refs.getOrDefault(parent, List.of())) {
                    Optional<NodeId> id = r.getNodeId().toNodeId(namespaces);
                    if (id.isEmpty() || !seen.add(id.get()) || count >= maxNodes) {
                        continue; // a node on another server, one seen already, or the cap reached
                    }
                    Found f = new Found(id.get(), r, d, parent);
                    kids.add(f);
                    count++;
                    next.add(id.get());
                    if (r.getNodeClass() == NodeClass.Variable) {
                        variables.add(f);
                    }
                }
                children.put(parent, kids);
            }
            readDataTypes(variables);
            level = next;
        }
        List<OpcUaNode> out = new ArrayList<>(count);
        emit(start, children, namespaces, out);
        return out;
    }

    private void emit(NodeId parent, Map<NodeId, List<Found>> children, NamespaceTable namespaces, List<OpcUaNode> out) {
        for (Found f : children.getOrDefault(parent, List.of())) {
            QualifiedName bn = f.ref.getBrowseName();
            String display = f.ref.getDisplayName() == null || f.ref.getDisplayName().getText() == null ? ""
                    : f.ref.getDisplayName().getText();
            out.add(new OpcUaNode(f.id.toParseableString(), stable(f.id, namespaces),
                    bn == null || bn.getName() == null ? "" : bn.getName(), display,
                    f.ref.getNodeClass() == null ? "Unspecified" : f.ref.getNodeClass().name(), f.dataType,
                    f.depth, f.parent.toParseableString()));
            emit(f.id, children, namespaces, out);
        }
    }

    private static String stable(NodeId id, NamespaceTable namespaces) {
        int ns = id.getNamespaceIndex().intValue();
        String parseable = id.toParseableString();
        if (ns == 0) {
            return parseable;
        }
        String uri = namespaces.get(id.getNamespaceIndex());
        int semicolon = parseable.indexOf(';');
        return uri == null || semicolon < 0 ? parseable : "nsu=" + uri + parseable.substring(semicolon);
    }

    private Map<NodeId, List<ReferenceDescription>> browseAll(List<NodeId> nodes) throws OpcUaConnectException {
        Map<NodeId, List<ReferenceDescription>> out = new LinkedHashMap<>();
        for (int from = 0; from < nodes.size(); from += PARALLEL) {
            List<NodeId> chunk = nodes.subList(from, Math.min(nodes.size(), from + PARALLEL));
            List<CompletableFuture<List<ReferenceDescription>>> futures = new ArrayList<>();
            for (NodeId n : chunk) {
                BrowseDescription bd = new BrowseDescription(n, BrowseDirection.Forward, NodeIds.HierarchicalReferences,
                        true, uint(0), uint(BrowseResultMask.All.getValue()));
                futures.add(BrowseHelper.browse(client, bd, uint(0)));
            }
            for (int k = 0; k < chunk.size(); k++) {
                out.put(chunk.get(k), await(futures.get(k), "Browse " + chunk.get(k).toParseableString()));
            }
        }
        return out;
    }

    private void readDataTypes(List<Found> variables) throws OpcUaConnectException {
        for (int from = 0; from < variables.size(); from += READ_BATCH) {
            List<Found> batch = variables.subList(from, Math.min(variables.size(), from + READ_BATCH));
            List<ReadValueId> ids = batch.stream().map(f -> new ReadValueId(f.id, AttributeId.DataType.uid(), null,
                    QualifiedName.NULL_VALUE)).toList();
            ReadResponse response = await(client.readAsync(0.0, TimestampsToReturn.Neither, ids), "Read DataType");
            DataValue[] results = response.getResults();
            for (int k = 0; k < batch.size() && results != null && k < results.length; k++) {
                Object v = results[k].getValue() == null ? null : results[k].getValue().getValue();
                if (v instanceof NodeId type) {
                    OpcUaDataType builtin = OpcUaDataType.fromNodeId(type);
                    batch.get(k).dataType = builtin != null ? builtin.name() : typeName(type);
                }
            }
        }
    }

    private static String typeName(NodeId type) {
        // a few common non-built-in types of namespace 0 by name; anything else as its node id
        if (NodeIds.Duration.equals(type)) {
            return "Duration";
        }
        if (NodeIds.UtcTime.equals(type)) {
            return "UtcTime";
        }
        if (NodeIds.Number.equals(type)) {
            return "Number";
        }
        return type.toParseableString();
    }

    private NodeId resolve(String text) throws OpcUaConnectException {
        String t = text.trim();
        try {
            if (t.startsWith("nsu=")) {
                return ExpandedNodeId.parse(t).toNodeId(namespaceTable()).orElseThrow(() ->
                        new OpcUaConnectException(Reason.PROTOCOL_ERROR, "the server has no namespace for " + t));
            }
            return NodeId.parse(t);
        } catch (RuntimeException e) {
            throw new OpcUaConnectException(Reason.PROTOCOL_ERROR, "'" + t + "' is not a node id", e);
        }
    }

    private NamespaceTable namespaceTable() throws OpcUaConnectException {
        try {
            return client.readNamespaceTable();
        } catch (UaException e) {
            throw new OpcUaConnectException(Reason.PROTOCOL_ERROR, "cannot read the namespace table: "
                    + StatusNames.describe(e.getStatusCode().getValue()), e);
        }
    }

    private <T> T await(CompletableFuture<T> future, String what) throws OpcUaConnectException {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            String status = UaException.extractStatusCode(e.getCause()).map(s -> StatusNames.describe(s.getValue()))
                    .orElse(Connector.describe(e.getCause()));
            throw new OpcUaConnectException(Reason.PROTOCOL_ERROR, what + " failed: " + status, e.getCause());
        } catch (TimeoutException e) {
            throw new OpcUaConnectException(Reason.TIMEOUT, what + ": no answer within " + timeoutMs + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpcUaConnectException(Reason.INTERRUPTED, what + " interrupted", e);
        }
    }

    /** A node found while browsing; {@code dataType} is filled in for variables after the level is read. */
    private static final class Found {
        final NodeId id;
        final ReferenceDescription ref;
        final int depth;
        final NodeId parent;
        String dataType = "";

        Found(NodeId id, ReferenceDescription ref, int depth, NodeId parent) {
            this.id = id;
            this.ref = ref;
            this.depth = depth;
            this.parent = parent;
        }
    }
}
