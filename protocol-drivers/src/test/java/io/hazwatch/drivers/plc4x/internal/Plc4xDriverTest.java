package io.hazwatch.drivers.plc4x.internal;

import io.hazwatch.drivers.plc4x.Plc4xDeviceConfig;
import io.hazwatch.drivers.plc4x.Plc4xDriverFactory;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The bridge's state machine and request splitting over a scripted link: no PLC4X, no sockets. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class Plc4xDriverTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC);

    /** Answers like PLC4X's Modbus driver: a request holding a refused tag fails for every tag in it. */
    private static final class ScriptedLink implements Plc4xLink {
        final List<List<String>> requests = new CopyOnWriteArrayList<>();
        final Deque<String> connectFailures = new ArrayDeque<>();
        final Set<String> refused;
        final Function<String, Object> values;
        boolean connected;
        ReadResult nextFailure;

        ScriptedLink(Set<String> refused, Function<String, Object> values) {
            this.refused = refused;
            this.values = values;
        }

        @Override
        public void connect() throws IOException {
            String failure = connectFailures.poll();
            if (failure != null) {
                throw new IOException(failure);
            }
            connected = true;
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public ReadResult read(List<String> tags, long timeoutMs) {
            requests.add(List.copyOf(tags));
            if (nextFailure != null) {
                ReadResult failure = nextFailure;
                nextFailure = null;
                connected = false;
                return failure;
            }
            boolean anyRefused = tags.stream().anyMatch(refused::contains);
            List<TagOutcome> out = new ArrayList<>();
            for (String tag : tags) {
                out.add(anyRefused ? new TagOutcome.Bad(Quality.BAD_DEVICE_EXCEPTION, "PLC4X response code INVALID_ADDRESS")
                        : new TagOutcome.Value(values.apply(tag)));
            }
            return new ReadResult.Answered(out);
        }

        @Override
        public void close() {
            connected = false;
        }
    }

    private final List<Plc4xDriver> drivers = new ArrayList<>();

    @AfterEach
    void close() {
        drivers.forEach(Plc4xDriver::close);
    }

    private Plc4xDriver driver(ScriptedLink link, String... tags) throws DriverConfigException {
        List<ChannelSpec> channels = new ArrayList<>();
        for (String tag : tags) {
            channels.add(new ChannelSpec(tag.replace(':', '_'), Map.of("tag", tag), "t.yaml:" + tag));
        }
        DeviceSpec spec = new DeviceSpec("plc", "plc4x", Map.of("connection", "modbus-tcp://127.0.0.1:1",
                "backoffMinMs", 60_000, "backoffMaxMs", 60_000), channels, "t.yaml:plc");
        Plc4xDeviceConfig config = new Plc4xDriverFactory().parse(spec);
        Plc4xDriver driver = new Plc4xDriver(spec, config, CLOCK, link);
        drivers.add(driver);
        return driver;
    }

    private static List<Sample> read(Plc4xDriver driver) {
        return driver.readAll().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
    }

    @Test
    void all_tags_go_in_one_request_while_the_device_accepts_them() throws DriverConfigException {
        ScriptedLink link = new ScriptedLink(Set.of(), tag -> 1.5);
        Plc4xDriver driver = driver(link, "holding-register:1:REAL", "holding-register:3:REAL");

        read(driver);
        read(driver);

        assertThat(link.requests).containsExactly(List.of("holding-register:1:REAL", "holding-register:3:REAL"),
                List.of("holding-register:1:REAL", "holding-register:3:REAL"));
    }

    @Test
    void tags_refused_together_are_read_one_by_one_so_only_the_bad_address_stays_bad() throws DriverConfigException {
        ScriptedLink link = new ScriptedLink(Set.of("holding-register:101:REAL"), tag -> 2.0);
        Plc4xDriver driver = driver(link, "holding-register:1:REAL", "holding-register:101:REAL",
                "holding-register:5:INT");

        List<Sample> first = read(driver);
        List<Sample> second = read(driver);

        assertThat(first).extracting(Sample::quality)
                .containsExactly(Quality.GOOD, Quality.BAD_DEVICE_EXCEPTION, Quality.GOOD);
        assertThat(second).isEqualTo(first);
        assertThat(link.requests).containsExactly(
                List.of("holding-register:1:REAL", "holding-register:101:REAL", "holding-register:5:INT"),
                List.of("holding-register:1:REAL"), List.of("holding-register:101:REAL"),
                List.of("holding-register:5:INT"),
                List.of("holding-register:1:REAL"), List.of("holding-register:101:REAL"),
                List.of("holding-register:5:INT"));
        assertThat(second.get(1).reason())
                .isEqualTo("PLC4X response code INVALID_ADDRESS for tag 'holding-register:101:REAL'");
    }

    @Test
    void a_failed_connect_backs_off_without_touching_the_device_until_the_backoff_passes()
            throws DriverConfigException {
        ScriptedLink link = new ScriptedLink(Set.of(), tag -> 1L);
        link.connectFailures.add("Error creating channel.: Connection refused");
        Plc4xDriver driver = driver(link, "holding-register:11:WORD");

        Sample first = read(driver).get(0);
        Sample second = read(driver).get(0);

        assertThat(first).isEqualTo(Sample.bad("holding-register_11_WORD", CLOCK.millis(), Quality.BAD_COMM_FAIL,
                "cannot connect to modbus-tcp://127.0.0.1:1: Error creating channel.: Connection refused;"
                        + " next attempt in 60000 ms"));
        assertThat(second.reason()).startsWith("reconnecting to modbus-tcp://127.0.0.1:1 in 60000 ms after: ");
        assertThat(driver.state()).isEqualTo(DriverState.BACKING_OFF);
        assertThat(link.requests).isEmpty();
    }

    @Test
    void a_timeout_marks_every_tag_and_the_next_read_reconnects() throws DriverConfigException {
        ScriptedLink link = new ScriptedLink(Set.of(), tag -> 7L);
        Plc4xDriver driver = driver(link, "holding-register:11:WORD");
        read(driver);
        link.nextFailure = new Plc4xLink.ReadResult.Timeout("no answer within 2000 ms");

        Sample lost = read(driver).get(0);
        Sample back = read(driver).get(0);

        assertThat(lost.quality()).isEqualTo(Quality.BAD_TIMEOUT);
        assertThat(lost.reason()).isEqualTo("no answer within 2000 ms from modbus-tcp://127.0.0.1:1");
        assertThat(back).isEqualTo(Sample.good("holding-register_11_WORD", CLOCK.millis(), 7L));
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
    }
}
