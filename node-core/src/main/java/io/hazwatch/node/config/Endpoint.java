package io.hazwatch.node.config;

import java.util.Objects;

/** A host and TCP port. */
public record Endpoint(String host, int port) {
    public Endpoint {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of 0..65535: " + port);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
