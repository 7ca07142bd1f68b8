package io.hazwatch.node.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What every node has, whatever its role: an id (administrative code, or an edge id such as
 * {@code 130102-E0042-01}), a data directory for its journal and store, where it listens for children
 * (absent on an edge), where it serves HTTP (absent when {@code httpPort} is empty), its parents in
 * order of preference (none on the province), its registered children, and the disk quota of its
 * journal ({@code journalQuotaMb} in YAML; 0 for none).
 */
public record NodeConfig(String id, NodeRole role, Path dataDir, Optional<Endpoint> listen,
                         Optional<Endpoint> http, List<ParentLink> parents, List<ChildSpec> children,
                         long journalQuotaBytes) {
    public NodeConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(http, "http");
        parents = List.copyOf(parents);
        children = List.copyOf(children);
        if (journalQuotaBytes < 0) {
            throw new IllegalArgumentException("journal quota must not be negative: " + journalQuotaBytes);
        }
    }

    /** A node whose journal has no quota. */
    public NodeConfig(String id, NodeRole role, Path dataDir, Optional<Endpoint> listen, Optional<Endpoint> http,
                      List<ParentLink> parents, List<ChildSpec> children) {
        this(id, role, dataDir, listen, http, parents, children, 0);
    }

    /** The child with this id, if registered. */
    public Optional<ChildSpec> child(String childId) {
        return children.stream().filter(c -> c.id().equals(childId)).findFirst();
    }
}
