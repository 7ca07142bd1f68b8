package io.hazwatch.sims.opcua.internal;

import io.hazwatch.sims.opcua.OpcUaTagValue;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulator's address space: {@code Objects/TankFarm/TK-1001/LT-1001 ...} and
 * {@code Objects/Bench/Bench.00001 ...}. Every node id is a string in this namespace equal to the
 * tag or folder name ({@code ns=2;s=LT-1001}, {@code ns=2;s=TankFarm}).
 *
 * <p>Values are pushed in with {@link #publish}; the server samples them for monitored items
 * ({@link SubscriptionModel}). The node map is built once at startup and only read afterwards.
 */
public final class DcsNamespace extends ManagedNamespaceWithLifecycle {

    /** One variable to create: its folder path under Objects, its tag, description, type and first value. */
    public record TagSpec(List<String> folders, String tag, String description, boolean isBoolean, Object initial) {
    }

    private final SubscriptionModel subscriptionModel;
    private final List<TagSpec> specs;
    private final Instant startTime;
    private final Map<String, UaVariableNode> nodes = new LinkedHashMap<>();

    public DcsNamespace(OpcUaServer server, String namespaceUri, List<TagSpec> specs, Instant startTime) {
        super(server, namespaceUri);
        this.specs = List.copyOf(specs);
        this.startTime = startTime;
        this.subscriptionModel = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptionModel);
        getLifecycleManager().addStartupTask(this::createNodes);
    }

    private void createNodes() {
        Map<String, UaFolderNode> folders = new LinkedHashMap<>();
        DateTime start = new DateTime(startTime);
        for (TagSpec spec : specs) {
            UaFolderNode parent = null;
            for (String name : spec.folders()) {
                UaFolderNode existing = folders.get(name);
                if (existing == null) {
                    existing = new UaFolderNode(getNodeContext(), newNodeId(name), newQualifiedName(name),
                            LocalizedText.english(name));
                    getNodeManager().addNode(existing);
                    if (parent == null) {
                        existing.addReference(new Reference(existing.getNodeId(), NodeIds.Organizes,
                                NodeIds.ObjectsFolder.expanded(), false));
                    } else {
                        parent.addOrganizes(existing);
                    }
                    folders.put(name, existing);
                }
                parent = existing;
            }
            UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                    .setNodeId(newNodeId(spec.tag()))
                    .setBrowseName(newQualifiedName(spec.tag()))
                    .setDisplayName(LocalizedText.english(spec.tag()))
                    .setDescription(LocalizedText.english(spec.description()))
                    .setDataType(spec.isBoolean() ? NodeIds.Boolean : NodeIds.Double)
                    .setTypeDefinition(NodeIds.BaseDataVariableType)
                    .setAccessLevel(AccessLevel.READ_ONLY)
                    .setUserAccessLevel(AccessLevel.READ_ONLY)
                    .setMinimumSamplingInterval(100.0)
                    .build();
            node.setValue(new DataValue(new Variant(spec.initial()), StatusCode.GOOD, start, start));
            getNodeManager().addNode(node);
            if (parent != null) {
                parent.addOrganizes(node);
            }
            nodes.put(spec.tag(), node);
        }
    }

    /** Sets one tag's value, status and source time (server time = now). Unknown tags are ignored. */
    public void publish(String tag, Object value, long statusCode, Instant sourceTime) {
        UaVariableNode node = nodes.get(tag);
        if (node != null) {
            node.setValue(new DataValue(new Variant(value), new StatusCode(statusCode), new DateTime(sourceTime),
                    DateTime.now()));
        }
    }

    /** The value a tag holds now. */
    public Optional<OpcUaTagValue> current(String tag) {
        UaVariableNode node = nodes.get(tag);
        if (node == null) {
            return Optional.empty();
        }
        DataValue v = node.getValue();
        long status = v.getStatusCode() == null ? 0 : v.getStatusCode().getValue();
        return Optional.of(new OpcUaTagValue(tag, v.getValue().getValue(), status, v.getSourceTime().getJavaInstant()));
    }

    /** Tag names in address-space order. */
    public List<String> tags() {
        return Collections.unmodifiableList(List.copyOf(nodes.keySet()));
    }

    /** The node id of a tag or folder as a client writes it, e.g. {@code ns=2;s=LT-1001}. */
    public String nodeIdOf(String name) {
        return newNodeId(name).toParseableString();
    }

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsCreated(dataItems);
    }

    @Override
    public void onDataItemsModified(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsModified(dataItems);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsDeleted(dataItems);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        subscriptionModel.onMonitoringModeChanged(monitoredItems);
    }
}
