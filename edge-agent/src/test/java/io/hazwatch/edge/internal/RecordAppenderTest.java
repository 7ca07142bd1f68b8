package io.hazwatch.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hazwatch.edge.config.AlarmSpec;
import io.hazwatch.edge.config.DeviceConfig;
import io.hazwatch.edge.config.PointConfig;
import io.hazwatch.edge.testing.FakeDriver;
import io.hazwatch.edge.testing.InMemorySink;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.SyncRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordAppenderTest {
    private final Clock clock = Clock.systemUTC();
    private final InMemorySink sink = new InMemorySink("e1");
    private final RecordAppender appender = new RecordAppender(sink, "test-append");

    private final DeviceConfig device = new DeviceConfig("gas", "fake", Map.of(), 1_000, List.of(
            new PointConfig("lel", "%LEL", Map.of("address", 0),
                    Optional.of(AlarmSpec.builder().h(25).hh(50).build()), "t.yaml:1:1"),
            new PointConfig("o2", "%VOL", Map.of("address", 1), Optional.empty(), "t.yaml:2:1")), "t.yaml:1:1");
    private final FakeDriver driver = new FakeDriver(device.toDeviceSpec(), clock);
    private final DevicePoller poller = new DevicePoller(device, driver, p -> "S/gas/" + p.name(), clock, appender);

    @AfterEach
    void stop() {
        appender.close();
    }

    @Test
    void alarmsOfAPollAreJournaledBeforeItsReadings() {
        appender.start();
        driver.set("lel", 30.0).set("o2", 20.9);

        poller.tick();

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.records().size() == 3);
        assertThat(sink.records()).extracting(SyncRecord::lane).containsExactly(Lane.ALARM, Lane.CURRENT, Lane.CURRENT);
        assertThat(sink.alarms()).singleElement().satisfies(a -> {
            assertThat(a.point()).isEqualTo("S/gas/lel");
            assertThat(a.limit()).isEqualTo(AlarmLimit.H);
            assertThat(a.raised()).isTrue();
        });
        assertThat(sink.firstIndexOf(Lane.ALARM, "S/gas/lel")).isLessThan(sink.firstIndexOf(Lane.CURRENT, "S/gas/lel"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !poller.busy());
        assertThat(appender.appended()).isEqualTo(3);
    }

    @Test
    void aFailedAppendIsRetriedWithoutJournalingTheAlarmsTwice() {
        sink.failNextAppends(Lane.CURRENT, 2);
        appender.start();
        driver.set("lel", 60.0).set("o2", 20.9);

        poller.tick();

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.readings().size() == 2);
        assertThat(sink.alarms()).extracting(a -> a.limit()).containsExactly(AlarmLimit.H, AlarmLimit.HH);
        assertThat(appender.failures()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> !poller.busy());
    }

    @Test
    void aDeviceStaysBusyWhileItsRecordsAreNotDurableSoItsTicksAreSkipped() {
        sink.failNextAppends(Lane.CURRENT, 3);
        appender.start();
        driver.set("lel", 1.0).set("o2", 20.9);

        poller.tick();
        await().atMost(Duration.ofSeconds(5)).until(() -> appender.failures() >= 1);
        poller.tick();

        assertThat(poller.status().skippedTicks()).isEqualTo(1);
        assertThat(driver.reads()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !poller.busy());
        assertThat(sink.readings()).hasSize(2);
    }

    @Test
    void closeJournalsWhatWasAlreadySubmitted() {
        driver.set("lel", 2.0).set("o2", 20.9);
        poller.tick(); // submitted before the appender thread runs
        appender.start();

        appender.close(Duration.ofSeconds(5));

        assertThat(sink.readings()).hasSize(2);
    }
}
