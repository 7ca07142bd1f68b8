package io.hazwatch.node.config;

import java.util.Objects;

/** A parent this node forwards to, in order of preference (the first is the primary). */
public record ParentLink(String id, Endpoint endpoint) {
    public ParentLink {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
