package io.hazwatch.sync.link;

import java.util.Objects;
import java.util.Optional;

/** A parent to forward to, and the kind of link it is reached over (empty: the uplink's own options). */
public record ParentAddress(String id, String host, int port, Optional<LinkProfile> profile) {
    public ParentAddress {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(profile, "profile");
    }

    public ParentAddress(String id, String host, int port) {
        this(id, host, port, Optional.empty());
    }

    @Override
    public String toString() {
        return id + "@" + host + ":" + port + profile.map(p -> " (" + p.name() + ")").orElse("");
    }
}
