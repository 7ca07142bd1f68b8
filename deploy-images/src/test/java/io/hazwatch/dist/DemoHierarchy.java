package io.hazwatch.dist;

import io.hazwatch.edge.EdgeAgent;
import io.hazwatch.edge.config.EdgeConfig;
import io.hazwatch.edge.config.EdgeConfigLoader;
import io.hazwatch.drivers.spi.DriverFactory;
import io.hazwatch.node.NodeRuntime;
import io.hazwatch.node.config.ChildSpec;
import io.hazwatch.node.config.Endpoint;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeRole;
import io.hazwatch.node.config.ParentLink;
import io.hazwatch.province.ProvinceNode;
import io.hazwatch.sims.TankFarmOptions;
import io.hazwatch.sims.TankFarmSimulator;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.Payload;
import io.hazwatch.sync.model.RecordSink;
import io.hazwatch.sync.model.SyncRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small hierarchy in one JVM on loopback, with real parts only: tank-farm simulators on j2mod's
 * slave, edge agents reading them through the Modbus TCP driver, relays with journals, the province
 * with its SQL store. Edge 130102-E0001-01 reports through county 130102 and city 130100; edge
 * 130682-E0001-01 through Dingzhou (130682), which reports straight to the province.
 */
final class DemoHierarchy implements AutoCloseable {
    static final String EDGE_A = "130102-E0001-01";
    static final String EDGE_B = "130682-E0001-01";

    final ProvinceNode province;
    final NodeRuntime city;
    final NodeRuntime countyA;
    final NodeRuntime countyB;
    final Map<String, NodeRuntime> edgeNodes = new LinkedHashMap<>();
    final Map<String, EdgeAgent> agents = new LinkedHashMap<>();
    final Map<String, TankFarmSimulator> sims = new LinkedHashMap<>();
    /** Every record each edge journaled, as the journal numbered it. */
    final Map<String, List<SyncRecord>> journaled = new LinkedHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    DemoHierarchy(Path dir, long pollMs, int tanks) throws Exception {
        Clock clock = Clock.systemUTC();
        try {
            NodeConfig p = server("130000", NodeRole.PROVINCE, dir, null,
                    List.of(ChildSpec.withDefaultPrefix("130100"), ChildSpec.withDefaultPrefix("130682")));
            // the province serves its API, so tests can read what it holds as a user would
            province = track(ProvinceNode.start(new NodeConfig(p.id(), p.role(), p.dataDir(), p.listen(),
                    Optional.of(new Endpoint("127.0.0.1", 0)), p.parents(), p.children(), p.journalQuotaBytes()),
                    clock, false));
            city = track(NodeRuntime.start(server("130100", NodeRole.CITY, dir, province.runtime(),
                    List.of(ChildSpec.withDefaultPrefix("130102"))), clock));
            countyA = track(NodeRuntime.start(server("130102", NodeRole.COUNTY, dir, city,
                    List.of(ChildSpec.withDefaultPrefix(EDGE_A))), clock));
            countyB = track(NodeRuntime.start(server("130682", NodeRole.COUNTY, dir, province.runtime(),
                    List.of(ChildSpec.withDefaultPrefix(EDGE_B))), clock));
            int seed = 7;
            for (Map.Entry<String, NodeRuntime> e : Map.of(EDGE_A, countyA, EDGE_B, countyB).entrySet()) {
                TankFarmSimulator sim = track(TankFarmSimulator.start(TankFarmOptions.builder().port(0).tanks(tanks)
                        .seed(seed++).leakRatePerHour(0).build()));
                sims.put(e.getKey(), sim);
                EdgeConfig cfg = EdgeConfigLoader.parse(e.getKey() + ".yaml", edgeYaml(e.getKey(), dir, e.getValue(),
                        sim.port(), pollMs, tanks), dir, DriverFactory.installed());
                NodeRuntime rt = track(NodeRuntime.start(cfg.node(), clock));
                edgeNodes.put(e.getKey(), rt);
                List<SyncRecord> tap = Collections.synchronizedList(new ArrayList<>());
                journaled.put(e.getKey(), tap);
                RecordSink journal = rt.localSink();
                RecordSink tapping = (Lane lane, List<? extends Payload> payloads) -> {
                    List<SyncRecord> out = journal.append(lane, payloads);
                    tap.addAll(out);
                    return out;
                };
                EdgeAgent agent = track(EdgeAgent.create(cfg, tapping, clock));
                agents.put(e.getKey(), agent);
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    void startPolling() {
        agents.values().forEach(EdgeAgent::start);
    }

    /** Stops polling; journals and uplinks go on. */
    void stopPolling() {
        agents.values().forEach(EdgeAgent::close);
    }

    long journaledCount() {
        return journaled.values().stream().mapToLong(List::size).sum();
    }

    private <T extends AutoCloseable> T track(T c) {
        closeables.add(c);
        return c;
    }

    @Override
    public void close() {
        List<AutoCloseable> reversed = new ArrayList<>(closeables);
        Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception e) { // close() of AutoCloseable declares Exception; keep closing the rest
                System.err.println("closing " + c + ": " + e);
            }
        }
        closeables.clear();
    }

    static NodeConfig server(String id, NodeRole role, Path dir, NodeRuntime parent, List<ChildSpec> children) {
        List<ParentLink> parents = parent == null ? List.of() : List.of(new ParentLink(parent.config().id(),
                new Endpoint("127.0.0.1", parent.listenAddress().orElseThrow().getPort())));
        return new NodeConfig(id, role, dir.resolve(id), Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(),
                parents, children);
    }

    static String edgeYaml(String id, Path dir, NodeRuntime county, int simPort, long pollMs, int tanks) {
        return """
                node:
                  id: "%s"
                  dataDir: %s
                  parents:
                    - {id: "%s", host: 127.0.0.1, port: %d}
                site: {code: %s, name: "Tank farm", enterprise: "Test Chemicals", kind: hazchem}
                profiles:
                  tank:
                    stride: 20
                    points:
                      - {name: level, unit: m, properties: {address: 0, type: float32, order: ABCD}}
                      - {name: temperature, unit: "°C", properties: {address: 4, type: int16, scale: 0.1}}
                      - {name: pressure, unit: kPa, properties: {address: 5, type: float32}}
                      - name: gas
                        unit: "%%LEL"
                        properties: {address: 12, type: float32, order: CDAB}
                        alarms: {hh: 50, h: 25, deadband: 2}
                      - {name: gas-al1, properties: {address: 10, type: bool, bit: 6}}
                devices:
                  - name: tank-farm
                    driver: modbus-tcp
                    properties: {host: 127.0.0.1, port: %d, unitId: 1, timeoutMs: 2000}
                    pollIntervalMs: %d
                    uses:
                      - {profile: tank, count: %d, as: "tank{n}"}
                """.formatted(id, dir.resolve(id), county.config().id(),
                county.listenAddress().orElseThrow().getPort(), id.split("-")[1], simPort, pollMs, tanks);
    }
}
