package io.hazwatch.dist;

import io.hazwatch.dist.Topology.Kind;
import io.hazwatch.dist.Topology.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes one YAML config per demo node, in the same format an operator writes by hand. */
final class DemoConfigs {
    private DemoConfigs() {
    }

    static Path configFile(Path dataDir, Node n) {
        return dataDir.resolve("config").resolve(n.id() + ".yaml").toAbsolutePath();
    }

    static Path dataDirOf(Path dataDir, Node n) {
        return dataDir.resolve("nodes").resolve(n.id()).toAbsolutePath();
    }

    /**
     * Writes every node's config. {@code satellitePorts}: for nodes that reach their parent over a
     * simulated satellite link, the link simulator's port, used with {@code profile}.
     */
    static void write(Topology t, Path dataDir, int tanks, long pollMs, java.util.Map<String, Integer> satellitePorts,
                      String profile) throws IOException {
        Files.createDirectories(dataDir.resolve("config"));
        for (Node n : t.nodes()) {
            String yaml = n.kind() == Kind.EDGE ? edge(t, dataDir, n, tanks, pollMs)
                    : relayOrProvince(t, dataDir, n, satellitePorts, profile);
            Files.writeString(configFile(dataDir, n), yaml);
        }
    }

    private static String relayOrProvince(Topology t, Path dataDir, Node n, java.util.Map<String, Integer> satellitePorts,
                                          String profile) {
        StringBuilder y = new StringBuilder();
        y.append("# ").append(n.name()).append('\n');
        y.append("id: \"").append(n.id()).append("\"\n");
        y.append("role: ").append(n.kind().name().toLowerCase()).append('\n');
        y.append("dataDir: ").append(dataDirOf(dataDir, n)).append('\n');
        y.append("listen: {host: 127.0.0.1, port: ").append(n.port()).append("}\n");
        y.append("http: {host: 127.0.0.1, port: ").append(n.httpPort()).append("}\n");
        if (n.parent() != null) {
            Node p = t.node(n.parent()).orElseThrow();
            Integer viaSatellite = satellitePorts.get(n.id());
            if (viaSatellite == null) {
                y.append("parents:\n  - {id: \"").append(p.id()).append("\", host: 127.0.0.1, port: ").append(p.port())
                        .append("}\n");
            } else {
                y.append("parents:   # over the simulated satellite link\n  - {id: \"").append(p.id())
                        .append("\", host: 127.0.0.1, port: ").append(viaSatellite).append(", profile: ").append(profile)
                        .append("}\n");
            }
        }
        y.append("children:\n");
        for (Node c : t.childrenOf(n.id())) {
            y.append("  - id: \"").append(c.id()).append("\"   # ").append(c.name()).append('\n');
        }
        return y.toString();
    }

    private static String edge(Topology t, Path dataDir, Node n, int tanks, long pollMs) {
        Node county = t.node(n.parent()).orElseThrow();
        String enterprise = n.id().split("-")[1];
        return """
                # %s: a hazardous-chemical tank farm
                node:
                  id: "%s"
                  dataDir: %s
                  http: {host: 127.0.0.1, port: %d}
                  parents:
                    - {id: "%s", host: 127.0.0.1, port: %d}
                site:
                  code: %s
                  name: "Tank farm %s"
                  enterprise: "%s"
                  kind: hazchem
                profiles:
                  tank:
                    stride: 20
                    points:
                      - name: level
                        unit: m
                        properties: {table: holding, address: 0, type: float32, order: ABCD}
                        alarms: {hh: 19.0, h: 18.0, l: 1.0, ll: 0.5, deadband: 0.05}
                      - name: temperature
                        unit: "°C"
                        properties: {table: holding, address: 4, type: int16, scale: 0.1}
                        alarms: {hh: 60, h: 50, deadband: 0.5}
                      - name: pressure
                        unit: kPa
                        properties: {table: holding, address: 5, type: float32, order: ABCD}
                      - name: gas
                        unit: "%%LEL"
                        properties: {table: holding, address: 12, type: float32, order: CDAB}
                        alarms: {hh: 50, h: 25, deadband: 2, levels: {hh: 1, h: 2}}
                      - name: gas-al1
                        properties: {table: holding, address: 10, type: bool, bit: 6}
                      - name: gas-al2
                        properties: {table: holding, address: 10, type: bool, bit: 7}
                devices:
                  - name: tank-farm
                    driver: modbus-tcp
                    properties: {host: 127.0.0.1, port: %d, unitId: 1, timeoutMs: 1000}
                    pollIntervalMs: %d
                    uses:
                      - {profile: tank, count: %d, as: "tank{n}"}
                """.formatted(n.name(), n.id(), dataDirOf(dataDir, n), n.httpPort(), county.id(), county.port(),
                enterprise, enterprise, n.name(), n.simPort(), pollMs, tanks);
    }
}
