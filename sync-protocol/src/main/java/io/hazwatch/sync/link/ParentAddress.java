package io.hazwatch.sync.link;

import java.util.Objects;
import java.util.Optional;

/**
 * A parent to forward to, the kind of link it is reached over (empty: the uplink's own options), and
 * the points whose raw readings go out ahead of the rollups and the rest on that link
 * ({@link PointSelection#NONE}: every point alike, docs/sync-protocol.md section 8.3).
 */
public record ParentAddress(String id, String host, int port, Optional<LinkProfile> profile, PointSelection chosen) {
    public ParentAddress {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(chosen, "chosen");
    }

    public ParentAddress(String id, String host, int port, Optional<LinkProfile> profile) {
        this(id, host, port, profile, PointSelection.NONE);
    }

    public ParentAddress(String id, String host, int port) {
        this(id, host, port, Optional.empty());
    }

    @Override
    public String toString() {
        return id + "@" + host + ":" + port + profile.map(p -> " (" + p.name() + ")").orElse("")
                + (chosen.isEmpty() ? "" : " chosen " + chosen.patterns().size());
    }
}
