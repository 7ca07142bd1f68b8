package io.hazwatch.node.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What every node has, whatever its role: an id (administrative code, or an edge id such as
 * {@code 130102-E0042-01}), a data directory for its journal and store, where it listens for children
 * (absent on an edge), where it serves HTTP (absent when {@code httpPort} is empty), its parents in
 * order of preference (none on the province) and its registered children.
 */
public record NodeConfig(String id, NodeRole role, Path dataDir, Optional<Endpoint> listen,
                         Optional<Endpoint> http, List<ParentLink> parents, List<ChildSpec> children) {
    public NodeConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(http, "http");
        parents = List.copyOf(parents);
        children = List.copyOf(children);
    }

    /** The child with this id, if registered. */
    public Optional<ChildSpec> child(String childId) {
        return children.stream().filter(c -> c.id().equals(childId)).findFirst();
    }
}
