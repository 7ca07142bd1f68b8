package io.hazwatch.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.hazwatch.drivers.spi.DriverFactory;
import io.hazwatch.edge.config.EdgeConfig;
import io.hazwatch.edge.config.EdgeConfigLoader;
import io.hazwatch.edge.testing.InMemorySink;
import io.hazwatch.sims.TankFarmOptions;
import io.hazwatch.sims.TankFarmSimulator;
import io.hazwatch.sims.TankSnapshot;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.QualityCode;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.SyncRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The edge agent reading the tank-farm simulator through the real {@code modbus-tcp} driver (found by
 * ServiceLoader, as in production) into an in-memory journal, on loopback. The simulator ticks only
 * when told to, so what the agent reads equals {@link TankFarmSimulator#snapshot} after encoding.
 */
class TankFarmIntegrationTest {
    private static final int TANKS = 3;
    private static final String POINTS_PER_TANK = "level, ullage, temperature, pressure, gas, gas.al1, gas.al2";
    private static final String YAML = """
            node: {id: 130102-E0042-01, dataDir: data, parents: [{id: "130102", host: 127.0.0.1, port: 7400}]}
            site: {code: E0042, name: Tank Farm, enterprise: X42, kind: hazchem}
            profiles:
              tank:
                stride: 20
                points:
                  - name: level
                    unit: m
                    properties: {table: holding, address: 0, type: float32, order: ABCD}
                    alarms: {ll: 0.5, l: 1.0, h: 19.0, hh: 19.5, deadband: 0.05}
                  - {name: ullage, unit: m, properties: {table: holding, address: 2, type: float32, order: ABCD}}
                  - name: temperature
                    unit: °C
                    properties: {table: holding, address: 4, type: int16, scale: 0.1}
                    alarms: {h: 60, hh: 70, deadband: 0.5}
                  - {name: pressure, unit: kPa, properties: {table: holding, address: 5, type: float32, order: ABCD}}
                  - name: gas
                    unit: "%%LEL"
                    properties: {table: holding, address: 12, type: float32, order: CDAB}
                    alarms: {h: 25, hh: 50, deadband: 2, faultAfter: 3}
                  - {name: gas.al1, properties: {table: holding, address: 10, type: bool, bit: 6}}
                  - {name: gas.al2, properties: {table: holding, address: 10, type: bool, bit: 7}}
            devices:
              - name: farm
                driver: modbus-tcp
                pollIntervalMs: 200
                properties: {host: 127.0.0.1, port: %d, unitId: %d, timeoutMs: 500}
                uses: [{profile: tank, count: %d}]
            """;

    private TankFarmSimulator sim;
    private EdgeAgent agent;
    private final InMemorySink sink = new InMemorySink("130102-E0042-01");

    @BeforeEach
    void startSimulator() {
        sim = TankFarmSimulator.start(TankFarmOptions.builder().tanks(TANKS).seed(7).manualTicks().build());
        sim.advance(5);
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        sim.close();
    }

    private EdgeAgent startAgent() throws Exception {
        List<DriverFactory> installed = DriverFactory.installed();
        assertThat(installed).extracting(DriverFactory::type).contains("modbus-tcp");
        EdgeConfig config = EdgeConfigLoader.parse("farm.yaml", YAML.formatted(sim.port(), sim.unitId(), TANKS),
                Path.of("/tmp"), installed);
        agent = EdgeAgent.create(config, installed, sink, Clock.systemUTC());
        agent.start();
        return agent;
    }

    private Optional<Reading> latest(String point) {
        List<Reading> all = sink.readings().stream().filter(r -> r.point().equals(point)).toList();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    @Test
    void everyPointOfEveryTankIsReadOverModbusAndJournaledWithTheSimulatorsValues() throws Exception {
        startAgent();

        List<String> points = new java.util.ArrayList<>();
        for (int n = 1; n <= TANKS; n++) {
            for (String p : POINTS_PER_TANK.split(", ")) {
                points.add("E0042/farm/tank" + n + "." + p);
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> points.stream()
                .allMatch(p -> latest(p).filter(r -> r.quality() == QualityCode.GOOD).isPresent()));

        for (int t = 0; t < TANKS; t++) {
            TankSnapshot s = sim.snapshot(t);
            String tank = "E0042/farm/tank" + (t + 1) + ".";
            assertThat(latest(tank + "level").orElseThrow().value())
                    .isEqualTo(PointValue.of((double) (float) s.levelM()));
            assertThat(latest(tank + "ullage").orElseThrow().value())
                    .isEqualTo(PointValue.of((double) (float) s.ullageM()));
            assertThat(latest(tank + "pressure").orElseThrow().value())
                    .isEqualTo(PointValue.of((double) (float) s.pressureKPa()));
            assertThat(latest(tank + "gas").orElseThrow().value())
                    .isEqualTo(PointValue.of((double) (float) s.gasLel()));
            assertThat(latest(tank + "temperature").orElseThrow().value().asDouble())
                    .isCloseTo(s.temperatureC(), within(0.051));
            assertThat(latest(tank + "gas.al1").orElseThrow().value()).isEqualTo(PointValue.of(s.al1()));
        }
        assertThat(agent.status().devices().get(0).badSamples()).isZero();
    }

    @Test
    void aGasLeakRaisesTheEdgeGasAlarmsWhichAreJournaledBeforeTheReadingsThatRaisedThem() throws Exception {
        startAgent();
        await().atMost(Duration.ofSeconds(20)).until(() -> latest("E0042/farm/tank2.gas").isPresent());

        sim.triggerLeak(1);
        for (int tick = 0; tick < 600 && sim.snapshot(1).gasLel() < 55; tick++) {
            sim.advance(1); // the plume rises to its peak within about a minute
        }
        assertThat(sim.snapshot(1).gasLel()).as("the simulated plume peaks above AL2").isGreaterThan(55);

        await().atMost(Duration.ofSeconds(20)).until(() -> sink.alarms().stream()
                .filter(a -> a.point().equals("E0042/farm/tank2.gas") && a.raised()).count() >= 2);
        List<AlarmEvent> gasAlarms = sink.alarms().stream().filter(a -> a.point().equals("E0042/farm/tank2.gas"))
                .toList();
        assertThat(gasAlarms).extracting(AlarmEvent::limit).startsWith(AlarmLimit.H, AlarmLimit.HH);
        AlarmEvent hh = gasAlarms.get(1);
        assertThat(hh.value()).isGreaterThanOrEqualTo(50.0);
        assertThat(hh.threshold()).isEqualTo(50.0);
        assertThat(hh.level()).isEqualTo(3);

        List<SyncRecord> records = sink.records();
        int alarmAt = indexOf(records, Lane.ALARM, hh);
        int readingAt = -1;
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).lane() == Lane.CURRENT && records.get(i).payload() instanceof Reading r
                    && r.point().equals(hh.point()) && r.timestampMillis() == hh.timestampMillis()) {
                readingAt = i;
            }
        }
        assertThat(alarmAt).isNotNegative().isLessThan(readingAt);
        await().atMost(Duration.ofSeconds(20)).until(() -> latest("E0042/farm/tank2.gas.al2")
                .map(r -> r.value().equals(PointValue.of(true))).orElse(false));
        assertThat(agent.status().activeAlarms()).extracting(AlarmEvent::point, AlarmEvent::limit)
                .contains(tuple("E0042/farm/tank2.gas", AlarmLimit.HH));
    }

    @Test
    void aSimulatorThatGoesAwayGivesBadReadingsAndThenAFaultAlarm() throws Exception {
        startAgent();
        await().atMost(Duration.ofSeconds(20)).until(() -> latest("E0042/farm/tank1.gas")
                .filter(r -> r.quality() == QualityCode.GOOD).isPresent());

        sim.close();

        await().atMost(Duration.ofSeconds(30)).until(() -> sink.alarms().stream()
                .anyMatch(a -> a.point().equals("E0042/farm/tank1.gas") && a.limit() == AlarmLimit.FAULT && a.raised()));
        assertThat(latest("E0042/farm/tank1.level").orElseThrow().quality()).isGreaterThanOrEqualTo(16);
        assertThat(agent.status().devices().get(0).badSamples()).isPositive();
    }

    private static int indexOf(List<SyncRecord> records, Lane lane, AlarmEvent event) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).lane() == lane && records.get(i).payload().equals(event)) {
                return i;
            }
        }
        return -1;
    }
}
