package io.hazwatch.node.config;

import io.hazwatch.sync.link.LinkProfile;
import io.hazwatch.sync.link.PointSelection;
import java.util.Objects;
import java.util.Optional;

/**
 * A parent this node forwards to, in order of preference (the first is the primary), the link it is
 * reached over ({@code profile:} terrestrial, vsat, vsat-2m or tiantong; empty: the uplink's default
 * tuning), and the points whose raw readings go out right behind the alarms on that link
 * ({@code chosenPoints:}; {@link PointSelection#NONE}: every point alike).
 */
public record ParentLink(String id, Endpoint endpoint, Optional<LinkProfile> profile, PointSelection chosen) {
    public ParentLink {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(chosen, "chosen");
    }

    public ParentLink(String id, Endpoint endpoint, Optional<LinkProfile> profile) {
        this(id, endpoint, profile, PointSelection.NONE);
    }

    public ParentLink(String id, Endpoint endpoint) {
        this(id, endpoint, Optional.empty());
    }
}
