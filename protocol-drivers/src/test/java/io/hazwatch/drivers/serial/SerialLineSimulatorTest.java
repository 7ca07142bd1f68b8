package io.hazwatch.drivers.serial;

import io.hazwatch.sims.testing.SocatPty;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import io.hazwatch.sims.serial.GnssOptions;
import io.hazwatch.sims.serial.GnssSolution;
import io.hazwatch.sims.serial.GnssSolverSimulator;
import io.hazwatch.sims.serial.RainGaugeOptions;
import io.hazwatch.sims.serial.RainGaugeSimulator;
import io.hazwatch.sims.serial.RainSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.hazwatch.drivers.serial.SerialTestSupport.PHZDSP;
import static io.hazwatch.drivers.serial.SerialTestSupport.ch;
import static io.hazwatch.drivers.serial.SerialTestSupport.device;
import static io.hazwatch.drivers.serial.SerialTestSupport.props;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * The serial-line driver on a real tty (a socat pty pair) against the GNSS-solver and rain-gauge
 * simulators of hardware-sims, which write their own checksums: real framing, real port settings, real
 * timing. Simulators step by hand, so the values read equal what they printed.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SerialLineSimulatorTest {

    private static final Clock SIM_CLOCK = Clock.fixed(Instant.parse("2024-07-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final DriverFactory factory = DriverFactory.installed().stream()
            .filter(f -> f.type().equals("serial-line")).findFirst().orElseThrow();
    private final List<AutoCloseable> open = new ArrayList<>();
    private SocatPty pty;

    @BeforeEach
    void startPty() throws IOException {
        assumeTrue(SocatPty.isInstalled(), SocatPty.MISSING);
        pty = SocatPty.start(dir);
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (pty != null) {
            pty.close();
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private Driver driver(Map<String, Object> extra, List<ChannelSpec> channels) throws DriverConfigException {
        Map<String, Object> props = props("device", pty.a().toString(), "baud", 19200);
        props.putAll(extra);
        return track(factory.create(device(props, channels.toArray(new ChannelSpec[0])), Clock.systemUTC()));
    }

    private static List<Sample> read(Driver driver) {
        return driver.readAll().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
    }

    private GnssSolverSimulator gnss() {
        return track(GnssSolverSimulator.start(new GnssOptions(pty.b().toString(), 19200, List.of("GN01", "GN02"),
                7, Duration.ZERO, Duration.ofHours(1), true, SIM_CLOCK)));
    }

    private Driver gnssDriver(long maxAgeMs) throws DriverConfigException {
        List<ChannelSpec> channels = new ArrayList<>(SerialTestSupport.gnssChannels("GN01"));
        channels.addAll(SerialTestSupport.gnssChannels("GN02"));
        return driver(props("checksum", "nmea", "pattern", PHZDSP, "maxAgeMs", maxAgeMs), channels);
    }

    private static List<Object> values(GnssSolution s) {
        return List.of(s.northMm(), s.eastMm(), s.upMm(), (long) s.quality());
    }

    @Test
    void the_driver_reads_what_the_gnss_solver_printed_for_every_station() throws DriverConfigException {
        GnssSolverSimulator sim = gnss();
        Driver driver = gnssDriver(60_000);
        read(driver); // opens the port; from now on the driver listens
        GnssSolution gn01 = sim.emitEpoch().get(0);
        GnssSolution gn02 = sim.latest("GN02").orElseThrow();

        await().untilAsserted(() -> {
            List<Sample> samples = read(driver);
            assertThat(samples).extracting(Sample::quality).containsOnly(Quality.GOOD);
            assertThat(samples.subList(0, 4)).extracting(Sample::value).isEqualTo(values(gn01));
            assertThat(samples.subList(4, 8)).extracting(Sample::value).isEqualTo(values(gn02));
        });
        assertThat(gn01.sentence()).matches("\\$PHZDSP,GN01,-?\\d+\\.\\d,-?\\d+\\.\\d,-?\\d+\\.\\d,[45]\\*[0-9A-F]{2}");
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
    }

    @Test
    void a_sentence_with_a_wrong_checksum_makes_only_its_station_bad_and_is_counted() throws DriverConfigException {
        GnssSolverSimulator sim = gnss();
        Driver driver = gnssDriver(60_000);
        read(driver);
        sim.corruptNextChecksums(2); // the GGA sentence and GN01's

        GnssSolution gn02 = sim.emitEpoch().get(1);

        await().untilAsserted(() -> {
            List<Sample> samples = read(driver);
            assertThat(samples.subList(0, 4)).extracting(Sample::quality).containsOnly(Quality.BAD_COMM_FAIL);
            assertThat(samples.get(0).reason()).startsWith("checksum BAD: line says ");
            assertThat(samples.subList(4, 8)).extracting(Sample::value).isEqualTo(values(gn02));
        });
        SerialLineStats stats = ((io.hazwatch.drivers.serial.internal.SerialLineDriver) driver).stats();
        assertThat(stats.checksumFailures()).isEqualTo(2);
        assertThat(stats.frames()).isEqualTo(3);
    }

    @Test
    void a_solver_that_falls_silent_goes_stale_after_max_age() throws DriverConfigException {
        GnssSolverSimulator sim = gnss();
        Driver driver = gnssDriver(400);
        read(driver);
        sim.emitEpoch();
        await().until(() -> read(driver).get(0).quality() == Quality.GOOD);

        sim.setSilent(true);
        sim.emitEpoch();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Sample sample = read(driver).get(0);
            assertThat(sample.quality()).isEqualTo(Quality.BAD_TIMEOUT);
            assertThat(sample.reason()).matches("no line for \\d+(\\.\\d)? s \\(maxAgeMs 400\\)");
        });
    }

    @Test
    void a_polled_rain_gauge_answers_each_read_with_its_crc_checked_totals() throws DriverConfigException {
        RainGaugeSimulator sim = track(RainGaugeSimulator.start(new RainGaugeOptions(pty.b().toString(), 19200, 3,
                Duration.ZERO, 1, true, 2, SIM_CLOCK)));
        sim.startBurst(2.0, 10);
        sim.advance(10); // 20 mm in 100 tips
        Driver driver = driver(props("mode", "request", "request", "R?\\r\\n", "checksum", "crc16-modbus",
                        "match", "^R,", "responseTimeoutMs", 2000),
                List.of(ch("rain", "field", 1, "type", "long", "scale", 0.1), ch("tips", "field", 2, "type", "long")));

        List<Sample> samples = read(driver);

        RainSnapshot snapshot = sim.snapshot();
        assertThat(snapshot.tips()).isEqualTo(100);
        assertThat(samples).extracting(Sample::quality).containsOnly(Quality.GOOD);
        assertThat((Double) samples.get(0).value()).isCloseTo(snapshot.totalMm(), within(1e-9));
        assertThat(samples.get(1).value()).isEqualTo(snapshot.tips());
        assertThat(sim.queriesAnswered()).isOne();
    }

    @Test
    void an_unsolicited_rain_gauge_line_with_a_bad_crc_makes_the_totals_bad() throws DriverConfigException {
        RainGaugeSimulator sim = track(RainGaugeSimulator.start(new RainGaugeOptions(pty.b().toString(), 19200, 3,
                Duration.ZERO, 1, false, 2, SIM_CLOCK)));
        Driver driver = driver(props("checksum", "crc16-modbus", "pattern", "^R,(?<total>\\d+),(?<tips>\\d+)$"),
                List.of(ch("rain", "group", "total", "type", "long", "scale", 0.1),
                        ch("tips", "group", "tips", "type", "long")));
        read(driver);
        sim.startBurst(0.4, 5);
        sim.advance(5);
        sim.emit();
        await().untilAsserted(() -> assertThat(read(driver).get(1).value()).isEqualTo(10L));

        sim.corruptNextChecksums(1);
        sim.emit();

        await().untilAsserted(() -> assertThat(read(driver)).extracting(Sample::quality)
                .containsOnly(Quality.BAD_COMM_FAIL));
    }

    @Test
    void a_pulled_cable_makes_the_driver_back_off_and_it_listens_again_when_the_line_is_back()
            throws IOException, DriverConfigException {
        Driver driver = driver(props("checksum", "nmea", "pattern", PHZDSP, "backoffMinMs", 100, "backoffMaxMs", 200),
                SerialTestSupport.gnssChannels("GN01"));
        read(driver);
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);

        pty.close(); // socat gone: the pty and its link disappear
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Sample sample = read(driver).get(0);
            assertThat(sample.quality()).isEqualTo(Quality.BAD_COMM_FAIL);
        });

        pty = SocatPty.start(dir);
        GnssSolverSimulator sim = gnss();
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.state() == DriverState.CONNECTED);
        sim.emitEpoch();
        await().untilAsserted(() -> assertThat(read(driver).get(0).quality()).isEqualTo(Quality.GOOD));
    }
}
