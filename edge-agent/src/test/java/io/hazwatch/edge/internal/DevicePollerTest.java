package io.hazwatch.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.edge.config.AlarmSpec;
import io.hazwatch.edge.config.DeviceConfig;
import io.hazwatch.edge.config.PointConfig;
import io.hazwatch.edge.testing.FakeDriver;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.QualityCode;
import io.hazwatch.sync.model.Reading;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The poller without threads: ticks, reads and conversions are driven by the test. */
class DevicePollerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final long NOW = CLOCK.millis();

    private final DeviceConfig device = new DeviceConfig("farm", "fake", Map.of(), 1_000, List.of(
            new PointConfig("level", "m", Map.of("address", 0),
                    Optional.of(AlarmSpec.builder().h(17).hh(18).build()), "t.yaml:1:1"),
            new PointConfig("state", "", Map.of("address", 1), Optional.empty(), "t.yaml:2:1")), "t.yaml:1:1");
    private final FakeDriver driver = new FakeDriver(device.toDeviceSpec(), CLOCK);
    private final List<ReadResult> handedOn = new CopyOnWriteArrayList<>();
    private final DevicePoller poller = new DevicePoller(device, driver, p -> "S/farm/" + p.name(), CLOCK,
            handedOn::add);

    @Test
    void aTickWhileThePreviousReadIsStillRunningIsSkippedAndCounted() {
        driver.hold(true);

        poller.tick();
        poller.tick();
        poller.tick();

        assertThat(driver.reads()).isEqualTo(1);
        assertThat(poller.status().polls()).isEqualTo(1);
        assertThat(poller.status().skippedTicks()).isEqualTo(2);
        assertThat(handedOn).isEmpty();
    }

    @Test
    void aPollLastsUntilItsRecordsAreReleasedNotJustUntilTheReadCompletes() {
        driver.hold(true).set("level", 3.0).set("state", 1L);
        poller.tick();
        driver.completeOldest();

        assertThat(handedOn).hasSize(1);
        poller.tick();
        assertThat(driver.reads()).as("read done, but its batch is not durable yet").isEqualTo(1);

        poller.release();
        poller.tick();
        assertThat(driver.reads()).isEqualTo(2);
        assertThat(poller.status().skippedTicks()).isEqualTo(1);
        assertThat(poller.status().lastPollMillis()).isEqualTo(NOW);
    }

    @Test
    void samplesBecomeReadingsUnderTheirPointIdsWithValueAndQualityCode() {
        driver.set("level", 12.5).unset("state");
        poller.tick();

        Batch batch = poller.convert(handedOn.get(0));

        assertThat(batch.readings()).containsExactly(
                new Reading("S/farm/level", NOW, PointValue.of(12.5), QualityCode.GOOD),
                new Reading("S/farm/state", NOW, PointValue.NONE, QualityCode.BAD_COMM_FAIL));
        assertThat(batch.alarms()).isEmpty();
        assertThat(poller.status().goodSamples()).isEqualTo(1);
        assertThat(poller.status().badSamples()).isEqualTo(1);
    }

    @Test
    void conversionRunsThePointsAlarmEvaluatorAndTracksActiveAlarms() {
        driver.set("level", 18.2).set("state", 0L);
        poller.tick();

        Batch batch = poller.convert(handedOn.get(0));

        assertThat(batch.alarms()).extracting(AlarmEvent::point, AlarmEvent::limit).containsExactly(
                tuple("S/farm/level", AlarmLimit.H),
                tuple("S/farm/level", AlarmLimit.HH));
        assertThat(poller.activeAlarms()).extracting(AlarmEvent::limit)
                .containsExactlyInAnyOrder(AlarmLimit.H, AlarmLimit.HH);

        poller.release();
        driver.set("level", 5.0);
        poller.tick();
        assertThat(poller.convert(handedOn.get(1)).alarms()).extracting(AlarmEvent::raised).containsExactly(false, false);
        assertThat(poller.activeAlarms()).isEmpty();
    }

    @Test
    void aReadThatFailsAsAWholeYieldsABadReadingForEveryPoint() {
        driver.hold(true);
        poller.tick();
        driver.close(); // completes the pending read exceptionally, as a driver fault would

        assertThat(handedOn).hasSize(1);
        assertThat(poller.convert(handedOn.get(0)).readings()).extracting(Reading::point, Reading::quality)
                .containsExactly(tuple("S/farm/level", QualityCode.BAD_COMM_FAIL),
                        tuple("S/farm/state", QualityCode.BAD_COMM_FAIL));
    }

    @Test
    void aReadCompletingAfterCloseIsDroppedAndTicksStopPolling() {
        driver.hold(true);
        poller.tick();

        poller.close();
        driver.completeOldest();
        poller.tick();

        assertThat(handedOn).isEmpty();
        assertThat(driver.reads()).isEqualTo(1);
        assertThat(poller.busy()).isFalse();
        assertThat(poller.status().state()).isEqualTo(DriverState.CONNECTED);
    }
}
