package io.hazwatch.edge.config;

import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeRole;
import java.util.List;
import java.util.Objects;

/**
 * The whole configuration of one edge box: its node identity and parents (role
 * {@link NodeRole#EDGE}), the site it watches and the devices it polls.
 */
public record EdgeConfig(NodeConfig node, Site site, List<DeviceConfig> devices) {
    public EdgeConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(site, "site");
        devices = List.copyOf(devices);
        if (node.role() != NodeRole.EDGE) {
            throw new IllegalArgumentException("an edge config needs an edge node, got " + node.role());
        }
    }

    /** The point id, {@code site/device/point}, under which readings and alarms travel. */
    public String pointId(DeviceConfig device, PointConfig point) {
        return site.code() + "/" + device.name() + "/" + point.name();
    }

    public int pointCount() {
        return devices.stream().mapToInt(d -> d.points().size()).sum();
    }
}
