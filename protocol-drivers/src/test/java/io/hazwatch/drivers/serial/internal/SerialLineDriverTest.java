package io.hazwatch.drivers.serial.internal;

import io.hazwatch.drivers.serial.Checksum;
import io.hazwatch.drivers.serial.SerialLineDeviceConfig;
import io.hazwatch.drivers.serial.SerialLineDriverFactory;
import io.hazwatch.drivers.serial.SerialTestSupport;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.DriverClosedException;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static io.hazwatch.drivers.serial.SerialTestSupport.PHZDSP;
import static io.hazwatch.drivers.serial.SerialTestSupport.ch;
import static io.hazwatch.drivers.serial.SerialTestSupport.device;
import static io.hazwatch.drivers.serial.SerialTestSupport.props;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The driver's I/O loop over an in-memory line and a hand-moved clock: staleness, checksum failures,
 * request mode and the port's state machine, without a serial port or sleeps.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SerialLineDriverTest {

    private static final long T0 = 1_717_200_000_000L;

    private final MutableClock clock = new MutableClock(T0);
    private final PipeTransport line = new PipeTransport();
    private final List<SerialLineDriver> drivers = new ArrayList<>();

    @AfterEach
    void closeDrivers() {
        drivers.forEach(SerialLineDriver::close);
    }

    private SerialLineDriver driver(Map<String, Object> extra, ChannelSpec... channels) throws DriverConfigException {
        Map<String, Object> props = props("device", "/dev/pipe", "checksum", "nmea", "pattern", PHZDSP,
                "maxAgeMs", 5_000, "backoffMinMs", 1_000, "backoffMaxMs", 4_000);
        props.putAll(extra);
        DeviceSpec spec = device(props, channels);
        SerialLineDeviceConfig config = new SerialLineDriverFactory().parse(spec);
        SerialLineDriver driver = new SerialLineDriver(spec, config, clock, line);
        drivers.add(driver);
        return driver;
    }

    private SerialLineDriver gnss() throws DriverConfigException {
        return driver(Map.of(), SerialTestSupport.gnssChannels("GN01").toArray(new ChannelSpec[0]));
    }

    private static List<Sample> read(SerialLineDriver driver) {
        return driver.readAll().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
    }

    private static String sentence(String body) {
        return Checksum.NMEA.append("$" + body, "*") + "\r\n";
    }

    @Test
    void before_any_line_every_channel_is_a_timeout_that_says_since_when_the_port_listens()
            throws DriverConfigException {
        SerialLineDriver driver = gnss();

        List<Sample> samples = read(driver);

        assertThat(samples).extracting(Sample::quality).containsOnly(Quality.BAD_TIMEOUT);
        assertThat(samples.get(0).reason()).isEqualTo("no line for this channel since /dev/pipe 9600 8N1 was opened"
                + " 0 s ago");
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
    }

    @Test
    void a_read_returns_the_latest_values_stamped_with_the_time_their_line_arrived() throws DriverConfigException {
        SerialLineDriver driver = gnss();
        read(driver); // opens the port
        line.say(sentence("PHZDSP,GN01,1.0,2.0,3.0,4"));
        await().until(() -> driver.stats().frames() == 1);
        clock.advance(1_500);
        line.say(sentence("GNGGA,050000.00,3845.1,N,11530.5,E,4,18,0.7,123.4,M,-8.1,M,1.0,0000")
                + sentence("PHZDSP,GN01,1.1,-2.2,3.3,5"));
        await().until(() -> driver.stats().frames() == 3);
        clock.advance(700);

        List<Sample> samples = read(driver);

        assertThat(samples).containsExactly(
                Sample.good("GN01.dN", T0 + 1_500, 1.1), Sample.good("GN01.dE", T0 + 1_500, -2.2),
                Sample.good("GN01.dU", T0 + 1_500, 3.3), Sample.good("GN01.quality", T0 + 1_500, 5L));
        assertThat(driver.stats().ignoredFrames()).isOne();
    }

    @Test
    void a_value_older_than_max_age_becomes_a_timeout_that_says_how_long_the_line_has_been_quiet()
            throws DriverConfigException {
        SerialLineDriver driver = gnss();
        read(driver);
        line.say(sentence("PHZDSP,GN01,1.0,2.0,3.0,4"));
        await().until(() -> driver.stats().frames() == 1);

        clock.advance(5_000);
        assertThat(read(driver)).extracting(Sample::quality).containsOnly(Quality.GOOD);
        clock.advance(7_000);
        List<Sample> stale = read(driver);

        assertThat(stale).extracting(Sample::quality).containsOnly(Quality.BAD_TIMEOUT);
        assertThat(stale.get(0).reason()).isEqualTo("no line for 12 s (maxAgeMs 5000)");
        assertThat(stale.get(0).timestampMillis()).isEqualTo(T0 + 12_000);
    }

    @Test
    void a_line_with_a_bad_checksum_is_counted_and_makes_its_channels_bad_until_a_good_line_comes()
            throws DriverConfigException {
        SerialLineDriver driver = gnss();
        read(driver);
        line.say(sentence("PHZDSP,GN01,1.0,2.0,3.0,4"));
        line.say("$PHZDSP,GN01,9.0,9.0,9.0,4*00\r\n");
        await().until(() -> driver.stats().frames() == 2);

        List<Sample> bad = read(driver);

        assertThat(driver.stats().checksumFailures()).isOne();
        assertThat(bad).extracting(Sample::quality).containsOnly(Quality.BAD_COMM_FAIL);
        assertThat(bad.get(0).reason()).startsWith("checksum BAD: line says 00, computed ")
                .endsWith("(1 checksum failures since start)");

        line.say(sentence("PHZDSP,GN01,1.5,2.0,3.0,4"));
        await().until(() -> driver.stats().frames() == 3);
        assertThat(read(driver).get(0)).isEqualTo(Sample.good("GN01.dN", T0, 1.5));
    }

    @Test
    void in_request_mode_a_read_writes_the_query_and_completes_when_every_channel_is_answered()
            throws DriverConfigException {
        SerialLineDriver driver = driver(props("mode", "request", "request", "R?\\r\\n", "checksum", "crc16-modbus",
                        "pattern", "^R,(?<total>\\d+),(?<tips>\\d+)$"),
                ch("rain", "group", "total", "type", "long", "scale", 0.1), ch("tips", "group", "tips", "type", "long"));

        CompletionStage<List<Sample>> answer = driver.readAll();
        await().until(() -> line.written().size() == 1);
        line.say("R?\r\n"); // an echo feeds no channel
        clock.advance(120);
        line.say(Checksum.CRC16_MODBUS.append("R,00024,00012", "*") + "\r\n");

        List<Sample> samples = answer.toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
        assertThat(line.written()).containsExactly("R?\r\n");
        assertThat(samples.get(0).quality()).isEqualTo(Quality.GOOD);
        assertThat((Double) samples.get(0).value()).isCloseTo(2.4, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(samples.get(1)).isEqualTo(Sample.good("tips", T0 + 120, 12L));
    }

    @Test
    void in_request_mode_an_unanswered_query_times_out_on_the_clock() throws DriverConfigException {
        SerialLineDriver driver = driver(props("mode", "request", "request", "R?\\r\\n", "checksum", "none",
                "pattern", "^R,(?<total>\\d+)", "responseTimeoutMs", 800), ch("rain", "group", "total"));

        CompletionStage<List<Sample>> answer = driver.readAll();
        await().until(() -> line.written().size() == 1);
        assertThat(answer.toCompletableFuture()).isNotDone();
        clock.advance(800);

        List<Sample> samples = answer.toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
        assertThat(samples).containsExactly(Sample.bad("rain", T0 + 800, Quality.BAD_TIMEOUT,
                "no answer to request 'R?\\r\\n' within 800 ms"));
    }

    @Test
    void a_port_that_cannot_be_opened_gives_comm_fail_and_is_retried_after_the_backoff_without_a_read()
            throws DriverConfigException {
        line.failOpens("no such device /dev/pipe");
        SerialLineDriver driver = gnss();

        List<Sample> first = read(driver);

        assertThat(first).extracting(Sample::quality).containsOnly(Quality.BAD_COMM_FAIL);
        assertThat(first.get(0).reason()).isEqualTo("cannot open /dev/pipe 9600 8N1: no such device /dev/pipe");
        assertThat(driver.state()).isEqualTo(DriverState.BACKING_OFF);

        line.failOpens(null);
        clock.advance(999);
        assertThat(read(driver)).extracting(Sample::quality).containsOnly(Quality.BAD_COMM_FAIL);
        assertThat(line.opens()).isZero();
        clock.advance(1);
        await().until(() -> driver.state() == DriverState.CONNECTED);
        assertThat(line.opens()).isOne();
    }

    @Test
    void a_broken_line_closes_the_port_which_is_reopened_and_listened_to_again() throws DriverConfigException {
        SerialLineDriver driver = gnss();
        read(driver);
        line.breakLine("reading /dev/pipe failed; the device may be gone");
        await().until(() -> driver.state() == DriverState.BACKING_OFF);
        assertThat(read(driver).get(0).reason())
                .isEqualTo("/dev/pipe 9600 8N1 failed: reading /dev/pipe failed; the device may be gone");

        clock.advance(1_000);
        await().until(() -> driver.state() == DriverState.CONNECTED);
        line.say(sentence("PHZDSP,GN01,1.0,2.0,3.0,4"));
        await().until(() -> read(driver).get(0).quality() == Quality.GOOD);
        assertThat(driver.stats().reopens()).isOne();
    }

    @Test
    void closing_twice_is_harmless_and_a_read_after_close_fails_with_driver_closed() throws DriverConfigException {
        SerialLineDriver driver = gnss();
        read(driver);

        driver.close();
        driver.close();

        assertThat(driver.state()).isEqualTo(DriverState.CLOSED);
        assertThat(line.isOpen()).isFalse();
        assertThatThrownBy(() -> driver.readAll().toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(DriverClosedException.class);
    }

    @Test
    void the_driver_does_not_open_the_port_before_the_first_read() throws DriverConfigException {
        SerialLineDriver driver = gnss();

        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> line.opens() == 0);
        assertThat(driver.state()).isEqualTo(DriverState.DISCONNECTED);
    }
}
