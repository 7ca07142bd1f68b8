package io.hazwatch.node.config;

import io.hazwatch.sync.link.LinkProfile;
import java.util.Objects;
import java.util.Optional;

/**
 * A parent this node forwards to, in order of preference (the first is the primary), and the link
 * it is reached over ({@code profile:} terrestrial, vsat, vsat-2m or tiantong; empty: the uplink's
 * default tuning).
 */
public record ParentLink(String id, Endpoint endpoint, Optional<LinkProfile> profile) {
    public ParentLink {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(profile, "profile");
    }

    public ParentLink(String id, Endpoint endpoint) {
        this(id, endpoint, Optional.empty());
    }
}
