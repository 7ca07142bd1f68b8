package io.hazwatch.sync.link;

import java.util.Objects;

/** A parent to forward to. */
public record ParentAddress(String id, String host, int port) {
    public ParentAddress {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
    }

    @Override
    public String toString() {
        return id + "@" + host + ":" + port;
    }
}
