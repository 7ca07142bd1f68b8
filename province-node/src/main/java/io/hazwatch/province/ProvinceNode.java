package io.hazwatch.province;

import io.hazwatch.node.NodeRuntime;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeRole;
import java.io.IOException;
import java.time.Clock;

/** A running province: the node runtime over the merged SQL store, plus the province's API. */
public final class ProvinceNode implements AutoCloseable {
    private final ProvinceStore store;
    private final NodeRuntime runtime;

    private ProvinceNode(ProvinceStore store, NodeRuntime runtime) {
        this.store = store;
        this.runtime = runtime;
    }

    public static ProvinceNode start(NodeConfig config, Clock clock) throws IOException {
        return start(config, clock, true);
    }

    public static ProvinceNode start(NodeConfig config, Clock clock, boolean fsync) throws IOException {
        if (config.role() != NodeRole.PROVINCE) {
            throw new IllegalArgumentException("node " + config.id() + " is configured as " + config.role()
                    + ", not province");
        }
        ProvinceStore store = ProvinceStore.open(config.dataDir().resolve("store"), clock, fsync);
        NodeRuntime rt;
        try {
            rt = NodeRuntime.builder(config).clock(clock).store(store).start();
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        ProvinceNode node = new ProvinceNode(store, rt);
        rt.http().ifPresent(h -> new ProvinceApi(rt, store).install(h));
        return node;
    }

    public ProvinceStore store() {
        return store;
    }

    public NodeRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        runtime.close();
        store.close();
    }
}
