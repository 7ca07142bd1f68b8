package io.hazwatch.drivers.opcua;

import java.util.Objects;

/**
 * One node found by {@link OpcUaBrowser#browse}.
 *
 * @param nodeId       node id with namespace index, as a channel's {@code nodeId} takes it: {@code ns=2;s=LT-1001}
 * @param stableNodeId the same with the namespace URI, which survives a server reordering its
 *                     namespaces: {@code nsu=urn:...;s=LT-1001} (equal to {@code nodeId} in namespace 0)
 * @param browseName   browse name without namespace, e.g. {@code LT-1001}
 * @param displayName  display name text
 * @param nodeClass    {@code Object}, {@code Variable}, {@code Method}, ...
 * @param dataType     for variables, the data type ({@code Double}, or the type's node id when not a
 *                     built-in type); empty for other node classes
 * @param depth        1 for children of the start node, 2 for their children, ...
 * @param parentNodeId the node it was found under
 */
public record OpcUaNode(String nodeId, String stableNodeId, String browseName, String displayName, String nodeClass,
                        String dataType, int depth, String parentNodeId) {
    public OpcUaNode {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(stableNodeId, "stableNodeId");
        Objects.requireNonNull(browseName, "browseName");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(nodeClass, "nodeClass");
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(parentNodeId, "parentNodeId");
    }

    public boolean isVariable() {
        return "Variable".equals(nodeClass);
    }
}
