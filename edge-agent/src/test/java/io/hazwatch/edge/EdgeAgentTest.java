package io.hazwatch.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.edge.config.EdgeConfig;
import io.hazwatch.edge.config.EdgeConfigLoader;
import io.hazwatch.edge.testing.FakeDriver;
import io.hazwatch.edge.testing.FakeDriverFactory;
import io.hazwatch.edge.testing.InMemorySink;
import io.hazwatch.node.http.HttpApi;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointInfo;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.QualityCode;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.SyncRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EdgeAgentTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T08:00:00Z"), ZoneOffset.UTC);
    private static final String YAML = """
            node: {id: 130102-E0001-01, dataDir: /tmp/unused, parents: [{id: "130102", host: 127.0.0.1, port: 7400}]}
            site: {code: E0001, name: Test Works, enterprise: X1, kind: hazchem}
            devices:
              - name: tanks
                driver: fake
                pollIntervalMs: 100
                points:
                  - {name: level, unit: m, properties: {address: 0}, alarms: {h: 17, hh: 18, deadband: 0.1}}
                  - {name: temperature, unit: °C, properties: {address: 4}}
              - name: gas
                driver: fake
                pollIntervalMs: 150
                points:
                  - {name: lel, unit: "%LEL", properties: {address: 12}, alarms: {h: 25, hh: 50, faultAfter: 2}}
            """;

    private final FakeDriverFactory fakes = new FakeDriverFactory();
    private final InMemorySink sink = new InMemorySink("130102-E0001-01");
    private EdgeAgent agent;

    private EdgeAgent agent() throws Exception {
        EdgeConfig config = EdgeConfigLoader.parse("t.yaml", YAML, Path.of("/tmp"), List.of(fakes));
        agent = EdgeAgent.create(config, List.of(fakes), sink, CLOCK);
        return agent;
    }

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void everyDeviceIsPolledRepeatedlyAndItsReadingsJournaledUnderSiteDevicePointIds() throws Exception {
        EdgeAgent a = agent();
        fakes.driver("tanks").set("level", 10.0).set("temperature", 215L);
        fakes.driver("gas").set("lel", 1.5);

        a.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> fakes.driver("tanks").reads() >= 3
                && fakes.driver("gas").reads() >= 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.readings().stream()
                .filter(r -> r.point().equals("E0001/gas/lel")).count() >= 3);
        assertThat(sink.readings()).contains(
                new Reading("E0001/tanks/level", CLOCK.millis(), PointValue.of(10.0), QualityCode.GOOD),
                new Reading("E0001/tanks/temperature", CLOCK.millis(), PointValue.of(215L), QualityCode.GOOD),
                new Reading("E0001/gas/lel", CLOCK.millis(), PointValue.of(1.5), QualityCode.GOOD));
        assertThat(sink.records()).filteredOn(r -> r.lane() != Lane.META)
                .allSatisfy(r -> assertThat(r.lane()).isEqualTo(Lane.CURRENT));
    }

    @Test
    void atStartTheCatalogueIsJournaledOnTheMetaLaneOneRecordPerPointBeforeAnyReading() throws Exception {
        EdgeAgent a = agent();
        fakes.driver("tanks").set("level", 10.0).set("temperature", 215L);
        fakes.driver("gas").set("lel", 1.5);

        a.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.readings().size() >= 3);
        List<SyncRecord> records = sink.records();
        assertThat(records.subList(0, 3)).allSatisfy(r -> assertThat(r.lane()).isEqualTo(Lane.META));
        assertThat(records.subList(3, records.size())).noneMatch(r -> r.lane() == Lane.META);
        assertThat(records.subList(0, 3)).extracting(r -> (PointInfo) r.payload())
                .extracting(PointInfo::point, PointInfo::unit, PointInfo::timestampMillis, PointInfo::limits)
                .containsExactly(
                        tuple("E0001/tanks/level", "m", CLOCK.millis(), Map.of(AlarmLimit.H, 17.0, AlarmLimit.HH, 18.0)),
                        tuple("E0001/tanks/temperature", "°C", CLOCK.millis(), Map.of()),
                        tuple("E0001/gas/lel", "%LEL", CLOCK.millis(), Map.of(AlarmLimit.H, 25.0, AlarmLimit.HH, 50.0)));
    }

    @Test
    void anAlarmIsJournaledOnTheAlarmLaneBeforeTheReadingThatRaisedIt() throws Exception {
        EdgeAgent a = agent();
        fakes.driver("tanks").set("level", 18.4).set("temperature", 200L);
        fakes.driver("gas").set("lel", 0.0);

        a.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.alarms().size() >= 2);
        assertThat(sink.alarms()).extracting(AlarmEvent::limit).startsWith(AlarmLimit.H, AlarmLimit.HH);
        assertThat(sink.firstIndexOf(Lane.ALARM, "E0001/tanks/level"))
                .isLessThan(sink.firstIndexOf(Lane.CURRENT, "E0001/tanks/level"));
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.readings().stream()
                .filter(r -> r.point().equals("E0001/tanks/level")).count() >= 3);
        assertThat(sink.alarms()).as("raised once, not on every poll").hasSize(2);
    }

    @Test
    void statusReportsEachDevicesPollsSamplesAndTheActiveAlarms() throws Exception {
        EdgeAgent a = agent();
        fakes.driver("tanks").set("level", 17.5).set("temperature", 200L);
        fakes.driver("gas").unset("lel");

        a.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> a.status().activeAlarms().size() == 2);
        AgentStatus status = a.status();
        assertThat(status.edgeId()).isEqualTo("130102-E0001-01");
        assertThat(status.running()).isTrue();
        assertThat(status.devices()).extracting(DeviceStatus::name).containsExactly("tanks", "gas");
        DeviceStatus tanks = status.devices().get(0);
        assertThat(tanks.state()).isEqualTo(DriverState.CONNECTED);
        assertThat(tanks.polls()).isPositive();
        assertThat(tanks.lastPollMillis()).isEqualTo(CLOCK.millis());
        assertThat(tanks.goodSamples()).isPositive();
        assertThat(tanks.badSamples()).isZero();
        assertThat(status.devices().get(1).badSamples()).isPositive();
        assertThat(status.activeAlarms()).extracting(AlarmEvent::point, AlarmEvent::limit).containsExactly(
                tuple("E0001/gas/lel", AlarmLimit.FAULT),
                tuple("E0001/tanks/level", AlarmLimit.H));
        assertThat(status.summary()).startsWith("edge 130102-E0001-01: devices 2/2 connected, polls ")
                .contains("alarms active 2");
        assertThat(HttpApi.JSON.writeValueAsString(status)).as("served as JSON on the node's /edge route")
                .contains("\"edgeId\" : \"130102-E0001-01\"", "\"limit\" : \"FAULT\"", "\"value\" : \"NaN\"");
    }

    @Test
    void aSlowDeviceHasItsTicksSkippedWhileTheOtherKeepsPolling() throws Exception {
        EdgeAgent a = agent();
        FakeDriver slow = fakes.driver("tanks").hold(true);
        fakes.driver("gas").set("lel", 1.0);

        a.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> a.status().devices().get(0).skippedTicks() >= 3);
        assertThat(slow.reads()).isEqualTo(1);
        assertThat(slow.pendingReads()).isEqualTo(1);
        assertThat(a.status().devices().get(1).polls()).isGreaterThan(1);

        slow.set("level", 1.0).set("temperature", 1L).completeOldest();
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.reads() >= 2);
    }

    @Test
    void closeStopsPollingAndClosesTheDrivers() throws Exception {
        EdgeAgent a = agent();
        fakes.driver("tanks").set("level", 1.0).set("temperature", 1L);
        fakes.driver("gas").set("lel", 1.0);
        a.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> fakes.driver("gas").reads() >= 1);

        a.close();

        assertThat(a.status().running()).isFalse();
        assertThat(a.status().devices()).extracting(DeviceStatus::state).containsOnly(DriverState.CLOSED);
        assertThatThrownBy(a::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void creatingAnAgentForADriverTypeThatIsNotInstalledFails() throws Exception {
        EdgeConfig config = EdgeConfigLoader.parse("t.yaml", YAML, Path.of("/tmp"), List.of(fakes));

        assertThatThrownBy(() -> EdgeAgent.create(config, List.<DriverFactory>of(), sink, CLOCK))
                .isInstanceOf(DriverConfigException.class)
                .hasMessageContaining("device 'tanks': no driver of type 'fake' is installed");
    }
}
