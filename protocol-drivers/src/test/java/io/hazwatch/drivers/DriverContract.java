package io.hazwatch.drivers;

import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverClosedException;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * What every driver must do through the SPI alone, against a simulator it shares no code with (issue 4:
 * "connect, read, bad address gives a bad-quality reading for that point only, device exception,
 * timeout, link drop and recovery, close twice"); Netty's habit of one contract suite over every
 * transport. Each driver's subclass supplies the simulator and the hooks below; the assertions are the
 * same for all of them and look at nothing but {@link Driver}, {@link Sample} and {@link Quality}.
 *
 * <p>Where a protocol has no such thing as a case asks for, its hook says so with a reason
 * ({@link Fault.NotApplicable}) and names what it has instead, which is then asserted (a serial
 * instrument has no exception reply, but it has checksums); a case is skipped, with its reason, only
 * where nothing applies.
 *
 * <p>Simulators tick by hand, so what a driver reads equals what {@link #expectedValues()} takes from
 * the simulator at the same moment. No sleeps: every wait is an Awaitility condition.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class DriverContract {

    /** The longest any condition here is waited for: reconnects with short backoffs take a few seconds. */
    protected static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(50);

    /**
     * Something done to the simulator that the driver must report as a bad quality on some channels,
     * then recover from; or why the protocol has no such thing.
     */
    public sealed interface Fault permits Fault.Injected, Fault.NotApplicable {

        /**
         * @param what     the fault in words, for failure messages
         * @param inject   makes the simulator misbehave
         * @param clear    makes it behave again
         * @param channels the good channels that must go bad (the others must stay good where the case says so)
         * @param quality  the quality they must get
         * @param reason   a regular expression found in each of their reasons
         */
        record Injected(String what, Runnable inject, Runnable clear, Set<String> channels, Quality quality,
                        String reason) implements Fault {
            public Injected {
                Objects.requireNonNull(what, "what");
                Objects.requireNonNull(inject, "inject");
                Objects.requireNonNull(clear, "clear");
                channels = Set.copyOf(channels);
                Objects.requireNonNull(quality, "quality");
                Objects.requireNonNull(reason, "reason");
                if (channels.isEmpty() || quality.isGood()) {
                    throw new IllegalArgumentException("a fault makes at least one channel bad");
                }
            }
        }

        /**
         * The protocol has no such fault: {@code why}, and {@code instead} what it has in its place, which
         * the case asserts; with nothing instead, the case is skipped with {@code why}.
         */
        record NotApplicable(String why, Optional<Injected> instead) implements Fault {
            public NotApplicable {
                Objects.requireNonNull(why, "why");
                Objects.requireNonNull(instead, "instead");
            }
        }
    }

    private final List<Driver> drivers = new ArrayList<>();

    // ---- hooks ------------------------------------------------------------------------------------

    /** The {@code driver:} value under test; its factory is found with {@link DriverFactory#installed()}. */
    protected abstract String driverType();

    /** Starts the simulator, manual ticks, its values settled; called before every case. */
    protected abstract void startSimulator();

    /** Stops the simulator and whatever carries its link; idempotent; called after every case. */
    protected abstract void stopSimulator();

    /** Drops the link the way this transport loses its device: the device switched off, the cable pulled. */
    protected abstract void dropLink();

    /** Brings the device back where it was (same port, same address); the driver must find it by itself. */
    protected abstract void restoreLink();

    /**
     * The device as configured with {@code channels}: connection properties that reach the simulator,
     * timeouts and backoffs short enough for a test.
     */
    protected abstract DeviceSpec device(List<ChannelSpec> channels);

    /** Channels the device answers, at least two. */
    protected abstract List<ChannelSpec> goodChannels();

    /** A channel at an address the device refuses (a register past its map, a node it does not have). */
    protected abstract ChannelSpec refusedChannel();

    /** The quality the driver gives {@link #refusedChannel()}. */
    protected abstract Quality refusedQuality();

    /** The value each good channel must read now, taken from the simulator's own state. */
    protected abstract Map<String, Object> expectedValues();

    /** A device exception (Modbus exception, OPC UA bad status, ...), or what the protocol has instead. */
    protected abstract Fault deviceException();

    /** The device slower than the driver's timeout, or what the protocol has instead. */
    protected abstract Fault slowDevice();

    /** The qualities a channel may have while the link is down (connection refused, port gone, timeout). */
    protected abstract Set<Quality> qualitiesWhileLinkDown();

    /** Makes a driver for {@code device}; override where the factory needs more than the SPI gives it. */
    protected Driver newDriver(DeviceSpec device) throws DriverConfigException {
        DriverFactory factory = DriverFactory.installed().stream().filter(f -> f.type().equals(driverType()))
                .findFirst().orElseThrow(() -> new AssertionError("no factory for " + driverType()));
        assertThat(factory.validate(device)).as("problems of the contract's device").isEmpty();
        return factory.create(device, Clock.systemUTC());
    }

    // ---- fixture ----------------------------------------------------------------------------------

    @BeforeEach
    void startTheSimulator() {
        startSimulator();
    }

    @AfterEach
    void closeDriversThenTheSimulator() {
        // side by side: some drivers (PLC4X) take seconds to close a connection
        CompletableFuture.allOf(drivers.stream().map(d -> CompletableFuture.runAsync(d::close))
                .toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
        drivers.clear();
        stopSimulator();
    }

    /** A driver closed after the case. */
    protected final Driver driver(List<ChannelSpec> channels) throws DriverConfigException {
        return driver(device(channels));
    }

    /** A driver for a device configured by the subclass, closed after the case. */
    protected final Driver driver(DeviceSpec device) throws DriverConfigException {
        Driver driver = newDriver(device);
        drivers.add(driver);
        return driver;
    }

    /** One read, bounded so that a hung driver fails the case instead of hanging the build. */
    public static List<Sample> read(Driver driver) {
        return driver.readAll().toCompletableFuture().orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
    }

    public static Map<String, Sample> byName(List<Sample> samples) {
        return samples.stream().collect(Collectors.toMap(Sample::channel, Function.identity(), (a, b) -> a,
                LinkedHashMap::new));
    }

    public static Set<String> names(List<ChannelSpec> channels) {
        return channels.stream().map(ChannelSpec::name).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static String describe(List<Sample> samples) {
        return samples.stream().map(s -> s.channel() + "=" + s.quality() + (s.quality().isGood() ? " " + s.value()
                : " (" + s.reason() + ")")).collect(Collectors.joining(", "));
    }

    /** Every channel named in {@code expected} is good and reads its expected value. */
    private static void assertReads(List<Sample> samples, Map<String, Object> expected) {
        Map<String, Sample> v = byName(samples);
        assertThat(v.keySet()).as(describe(samples)).containsAll(expected.keySet());
        expected.forEach((channel, value) -> {
            Sample s = v.get(channel);
            assertThat(s.quality()).as("%s: %s", channel, s.reason()).isEqualTo(Quality.GOOD);
            if (value instanceof Double d) {
                assertThat(s.value()).as(channel).isInstanceOf(Double.class);
                assertThat((Double) s.value()).as(channel).isCloseTo(d, within(Math.abs(d) * 1e-12 + 1e-12));
            } else {
                assertThat(s.value()).as(channel).isEqualTo(value);
            }
        });
    }

    private static void assertBad(Sample s, Set<Quality> qualities, String reason) {
        assertThat(s.quality()).as("%s: %s", s.channel(), s.reason()).isIn(qualities);
        assertThat(s.value()).as(s.channel()).isNull();
        assertThat(s.reason()).as(s.channel()).isNotBlank().containsPattern(reason);
    }

    /** The fault to assert: the one given, what the protocol has instead, or the case skipped with why. */
    private static Fault.Injected applicable(Fault fault) {
        if (fault instanceof Fault.Injected injected) {
            return injected;
        }
        Fault.NotApplicable na = (Fault.NotApplicable) fault;
        Assumptions.assumeTrue(na.instead().isPresent(), na.why());
        return na.instead().get();
    }

    // ---- the contract -----------------------------------------------------------------------------

    @Test
    void a_new_driver_touches_nothing_until_its_first_read_which_connects_and_reads_every_channel() throws Exception {
        List<ChannelSpec> channels = goodChannels();
        Driver driver = driver(channels);
        assertThat(driver.state()).as("creating a driver does not connect").isEqualTo(DriverState.DISCONNECTED);
        assertThat(driver.device().driver()).isEqualTo(driverType());

        List<Sample> samples = read(driver);

        assertThat(samples).extracting(Sample::channel).as("one sample per channel, in configuration order")
                .containsExactlyElementsOf(names(channels));
        assertReads(samples, expectedValues());
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
        assertReads(read(driver), expectedValues());
    }

    @Test
    void a_channel_at_an_address_the_device_refuses_is_bad_for_that_point_only() throws Exception {
        List<ChannelSpec> channels = new ArrayList<>(goodChannels());
        ChannelSpec refused = refusedChannel();
        channels.add(channels.size() / 2, refused);
        Driver driver = driver(channels);

        for (int cycle = 0; cycle < 2; cycle++) { // and again, once the driver has learnt what was refused
            List<Sample> samples = read(driver);
            assertBad(byName(samples).get(refused.name()), Set.of(refusedQuality()), "");
            assertReads(samples, expectedValues());
        }
        assertThat(driver.state()).as("the device answered").isEqualTo(DriverState.CONNECTED);
    }

    @Test
    void a_device_exception_is_a_bad_quality_with_the_devices_reason_and_reads_recover_when_it_clears()
            throws Exception {
        Fault.Injected fault = applicable(deviceException());
        Driver driver = driver(goodChannels());
        assertReads(read(driver), expectedValues());

        fault.inject().run();
        await(fault.what()).atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Map<String, Sample> v = byName(read(driver));
            for (String channel : fault.channels()) {
                assertBad(v.get(channel), Set.of(fault.quality()), fault.reason());
            }
            for (Sample s : v.values()) {
                if (!fault.channels().contains(s.channel())) {
                    assertThat(s.quality()).as("%s is not part of %s: %s", s.channel(), fault.what(), s.reason())
                            .isEqualTo(Quality.GOOD);
                }
            }
        });
        assertThat(driver.state()).as("the device answered").isEqualTo(DriverState.CONNECTED);

        fault.clear().run();
        await(fault.what() + " cleared").atMost(PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> assertReads(read(driver), expectedValues()));
    }

    @Test
    void a_device_slower_than_the_timeout_gives_a_bad_timeout_and_reads_recover_when_it_is_fast_again()
            throws Exception {
        Fault.Injected fault = applicable(slowDevice());
        Driver driver = driver(goodChannels());
        assertReads(read(driver), expectedValues());

        fault.inject().run();
        await(fault.what()).atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Map<String, Sample> v = byName(read(driver));
            for (String channel : fault.channels()) {
                assertBad(v.get(channel), Set.of(fault.quality()), fault.reason());
            }
        });

        fault.clear().run();
        await(fault.what() + " cleared").atMost(PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> assertReads(read(driver), expectedValues()));
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
    }

    @Test
    void a_dropped_link_makes_every_channel_bad_and_the_driver_reconnects_by_itself_when_it_is_back()
            throws Exception {
        Driver driver = driver(goodChannels());
        assertReads(read(driver), expectedValues());

        dropLink();
        await("every channel bad after the link dropped").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() ->
                assertThat(read(driver)).allSatisfy(s -> assertBad(s, qualitiesWhileLinkDown(), "")));
        assertThat(read(driver)).as("reads while the link is down still answer")
                .allSatisfy(s -> assertBad(s, qualitiesWhileLinkDown(), ""));

        restoreLink();
        await("values again after the link is back").atMost(PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> assertReads(read(driver), expectedValues()));
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
    }

    @Test
    void closing_twice_is_harmless_and_a_read_after_close_fails_with_driver_closed() throws Exception {
        Driver driver = driver(goodChannels());
        assertReads(read(driver), expectedValues());

        driver.close();
        driver.close();

        assertThat(driver.state()).isEqualTo(DriverState.CLOSED);
        assertThatThrownBy(() -> read(driver)).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(DriverClosedException.class);
    }
}
