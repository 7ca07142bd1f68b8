package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusChannel;
import io.hazwatch.drivers.modbus.ModbusDataType;
import io.hazwatch.drivers.modbus.ModbusDeviceConfig;
import io.hazwatch.drivers.modbus.ModbusReadResult;
import io.hazwatch.drivers.modbus.ModbusTable;
import io.hazwatch.drivers.modbus.RegisterOrder;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.DriverClosedException;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import io.hazwatch.drivers.spi.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The driver's cycle, state machine, backoff, planning memory, deadband and writes against a scripted link: no sockets, no sleeps. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ModbusDriverTest {

    private final MutableClock clock = new MutableClock(1_000_000);
    private final FakeLink link = new FakeLink();
    private final List<ModbusDriver> drivers = new ArrayList<>();

    @AfterEach
    void closeDrivers() {
        drivers.forEach(ModbusDriver::close);
    }

    private static ModbusChannel channel(String name, ModbusTable table, int address, ModbusDataType type) {
        return new ModbusChannel(name, name + ".yaml", table, address, type, RegisterOrder.ABCD, OptionalInt.empty(),
                1, 0, false);
    }

    private ModbusDriver driver(long backoffMin, long backoffMax, List<ModbusChannel> channels) {
        ModbusDeviceConfig config = ModbusDeviceConfig.tcp("dev", "plc", 502, 1, 200, 125, 8, backoffMin, backoffMax,
                channels);
        DeviceSpec spec = new DeviceSpec("dev", "modbus-tcp", Map.of("host", "plc"), List.of(), "dev.yaml");
        ModbusDriver driver = new ModbusDriver(spec, config, clock, link);
        drivers.add(driver);
        return driver;
    }

    private ModbusDriver driver(List<ModbusChannel> channels) {
        return driver(100, 400, channels);
    }

    private static List<Sample> read(ModbusDriver driver) {
        return driver.readAll().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
    }

    private static List<ModbusChannel> twoRegisters() {
        return List.of(channel("a", ModbusTable.HOLDING, 0, ModbusDataType.UINT16),
                channel("b", ModbusTable.HOLDING, 1, ModbusDataType.UINT16));
    }

    @Test
    void the_first_read_connects_and_returns_one_good_sample_per_channel_in_configuration_order() {
        ModbusDriver driver = driver(List.of(channel("third", ModbusTable.HOLDING, 16, ModbusDataType.UINT16),
                channel("first", ModbusTable.HOLDING, 10, ModbusDataType.UINT16),
                channel("coil", ModbusTable.COIL, 5, ModbusDataType.BOOL)));
        assertThat(driver.state()).isEqualTo(DriverState.DISCONNECTED);
        List<Sample> samples = read(driver);
        assertThat(samples).extracting(Sample::channel).containsExactly("third", "first", "coil");
        assertThat(samples).extracting(Sample::value).containsExactly(16L, 10L, true);
        assertThat(samples).allMatch(s -> s.quality() == Quality.GOOD);
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
        assertThat(link.log).containsExactly("connect", "read holding 10+7", "read coil 5+1");
    }

    @Test
    void a_refused_connect_answers_bad_comm_fail_at_once_and_backs_off_doubling_up_to_the_maximum() {
        ModbusDriver driver = driver(100, 400, twoRegisters());
        link.refuseConnect = true;

        List<Sample> first = read(driver);
        assertThat(first).allSatisfy(s -> {
            assertThat(s.quality()).isEqualTo(Quality.BAD_COMM_FAIL);
            assertThat(s.reason()).contains("cannot connect to plc:502", "Connection refused", "100 ms");
        });
        assertThat(driver.state()).isEqualTo(DriverState.BACKING_OFF);

        // during the backoff reads answer without trying the device
        clock.advance(99);
        assertThat(read(driver)).allSatisfy(s -> assertThat(s.reason())
                .contains("cannot connect to plc:502", "next attempt in 1 ms"));
        assertThat(link.count("connect")).isEqualTo(1);

        clock.advance(1);
        assertThat(read(driver).get(0).reason()).contains("next attempt in 200 ms");
        assertThat(link.count("connect")).isEqualTo(2);
        clock.advance(199);
        read(driver);
        assertThat(link.count("connect")).as("no attempt before the backoff has passed").isEqualTo(2);
        clock.advance(1);
        assertThat(read(driver).get(0).reason()).contains("next attempt in 400 ms");
        assertThat(link.count("connect")).isEqualTo(3);
        clock.advance(400);
        assertThat(read(driver).get(0).reason()).as("capped at backoffMaxMs").contains("next attempt in 400 ms");
        assertThat(link.count("connect")).isEqualTo(4);

        link.refuseConnect = false;
        clock.advance(400);
        assertThat(read(driver)).allMatch(s -> s.quality() == Quality.GOOD);
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);

        // a later failure starts again from the minimum
        link.device = (t, s, q) -> new ReadOutcome.CommFailure("Connection reset");
        link.refuseConnect = true;
        List<Sample> broken = read(driver);
        assertThat(broken).allMatch(s -> s.quality() == Quality.BAD_COMM_FAIL);
        assertThat(broken.get(0).reason()).contains("next attempt in 100 ms");
    }

    @Test
    void a_broken_connection_is_reported_and_the_next_read_reconnects_without_backoff() {
        ModbusDriver driver = driver(twoRegisters());
        read(driver);
        link.device = (t, s, q) -> new ReadOutcome.CommFailure("Premature end of stream");
        link.refuseConnect = true; // the immediate reconnect of a reused connection fails too
        assertThat(read(driver)).allSatisfy(s -> assertThat(s.quality()).isEqualTo(Quality.BAD_COMM_FAIL));
        link.refuseConnect = false;
        link.device = FakeLink.withAddresses(100);
        clock.advance(100);
        assertThat(read(driver)).allMatch(s -> s.quality() == Quality.GOOD);
    }

    @Test
    void a_connection_the_device_closed_while_idle_is_reopened_once_before_any_sample_goes_bad() {
        ModbusDriver driver = driver(twoRegisters());
        read(driver);
        FakeLink.Device healthy = link.device;
        link.device = (t, s, q) -> {
            link.device = healthy; // only the first transaction on the stale connection fails
            return new ReadOutcome.CommFailure("Connection reset");
        };
        assertThat(read(driver)).allMatch(s -> s.quality() == Quality.GOOD);
        assertThat(link.count("connect")).isEqualTo(2);
    }

    @Test
    void samples_are_stamped_by_the_clock_when_the_response_arrived() {
        ModbusDriver driver = driver(List.of(channel("a", ModbusTable.HOLDING, 0, ModbusDataType.UINT16),
                channel("b", ModbusTable.INPUT, 0, ModbusDataType.UINT16)));
        long start = clock.millis();
        link.beforeRead = () -> clock.advance(250);
        List<Sample> samples = read(driver);
        assertThat(samples.get(0).timestampMillis()).isEqualTo(start + 250);
        assertThat(samples.get(1).timestampMillis()).isEqualTo(start + 500);
    }

    @Test
    void an_illegal_address_answer_to_a_merged_request_is_split_until_only_the_failing_channel_is_bad_and_the_plan_is_kept() {
        List<ModbusChannel> channels = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            channels.add(channel("r" + i, ModbusTable.HOLDING, 2 * i, ModbusDataType.UINT32));
        }
        channels.add(channel("beyond", ModbusTable.HOLDING, 40, ModbusDataType.FLOAT32));
        link.device = FakeLink.withAddresses(40);
        ModbusDriver driver = driver(channels);
        assertThat(driver.currentPlan()).hasSize(1);

        List<Sample> samples = read(driver);
        assertThat(samples.subList(0, 20)).allMatch(s -> s.quality() == Quality.GOOD);
        assertThat(samples.get(3).value()).isEqualTo((6L << 16) | 7L);
        assertThat(samples.get(20).quality()).isEqualTo(Quality.BAD_DEVICE_EXCEPTION);
        assertThat(samples.get(20).reason()).contains("Modbus exception 2 (illegal data address)", "holding 40..41");
        assertThat(link.reads()).first().isEqualTo("read holding 0+42");

        List<ReadRequest> remembered = driver.currentPlan();
        assertThat(remembered).hasSizeBetween(2, 7);
        link.clearLog();
        List<Sample> again = read(driver);
        assertThat(again).extracting(Sample::quality).containsExactlyElementsOf(
                samples.stream().map(Sample::quality).toList());
        assertThat(link.reads()).hasSize(remembered.size()).doesNotContain("read holding 0+42");
    }

    @Test
    void other_device_exceptions_mark_the_request_bad_without_splitting() {
        link.device = (t, s, q) -> new ReadOutcome.DeviceException(4);
        ModbusDriver driver = driver(twoRegisters());
        List<Sample> samples = read(driver);
        assertThat(samples).allSatisfy(s -> {
            assertThat(s.quality()).isEqualTo(Quality.BAD_DEVICE_EXCEPTION);
            assertThat(s.reason()).contains("Modbus exception 4 (server device failure)");
        });
        assertThat(link.reads()).hasSize(1);
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
    }

    @Test
    void a_timeout_marks_the_rest_of_the_cycle_bad_timeout_and_leaves_the_device_alone_for_the_backoff() {
        ModbusDriver driver = driver(List.of(channel("h", ModbusTable.HOLDING, 0, ModbusDataType.UINT16),
                channel("i", ModbusTable.INPUT, 0, ModbusDataType.UINT16)));
        link.device = (t, s, q) -> new ReadOutcome.Timeout("Socket timeout reading response");
        List<Sample> samples = read(driver);
        assertThat(samples).allMatch(s -> s.quality() == Quality.BAD_TIMEOUT);
        assertThat(samples.get(0).reason()).contains("no answer within 200 ms");
        assertThat(samples.get(1).reason()).contains("not read");
        assertThat(link.reads()).hasSize(1);
        assertThat(driver.state()).isEqualTo(DriverState.BACKING_OFF);

        // a silent device would cost a timeout per poll, and on a shared serial line every other device too
        List<Sample> waiting = read(driver);
        assertThat(waiting).allMatch(s -> s.quality() == Quality.BAD_TIMEOUT);
        assertThat(waiting.get(0).reason()).contains("did not answer within 200 ms", "next attempt in 100 ms");
        assertThat(link.reads()).hasSize(1);

        link.device = FakeLink.withAddresses(10);
        clock.advance(100);
        assertThat(read(driver)).allMatch(s -> s.quality() == Quality.GOOD);
        assertThat(link.count("connect")).as("the TCP link was closed by the timeout").isEqualTo(2);
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
    }

    @Test
    void a_float_that_decodes_to_nan_is_bad_out_of_range() {
        link.device = (t, s, q) -> new ReadOutcome.Registers(new int[] {0x7FC0, 0x0000});
        ModbusDriver driver = driver(List.of(channel("f", ModbusTable.HOLDING, 0, ModbusDataType.FLOAT32)));
        Sample sample = read(driver).get(0);
        assertThat(sample.quality()).isEqualTo(Quality.BAD_OUT_OF_RANGE);
        assertThat(sample.value()).isNull();
        assertThat(sample.reason()).contains("NaN");
    }

    @Test
    void close_fails_queued_reads_lets_the_running_one_finish_and_is_idempotent() {
        ModbusDriver driver = driver(twoRegisters());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        link.beforeRead = () -> {
            started.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        CompletableFuture<List<Sample>> running = driver.readAll().toCompletableFuture();
        CompletableFuture<List<Sample>> queued = driver.readAll().toCompletableFuture();
        await().until(() -> started.getCount() == 0);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(driver::close);
        await().until(() -> driver.state() == DriverState.CLOSED);
        release.countDown();
        closing.orTimeout(5, TimeUnit.SECONDS).join();

        assertThat(running.orTimeout(5, TimeUnit.SECONDS).join()).allMatch(s -> s.quality() == Quality.GOOD);
        assertThatThrownBy(queued::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(DriverClosedException.class);
        assertThat(link.log).last().isEqualTo("close");

        driver.close();
        assertThat(driver.state()).isEqualTo(DriverState.CLOSED);
        assertThat(driver.readAll().toCompletableFuture()).failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(DriverClosedException.class);
    }

    @Test
    void read_all_returns_before_the_device_answers() {
        ModbusDriver driver = driver(twoRegisters());
        CountDownLatch release = new CountDownLatch(1);
        link.beforeRead = () -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        CompletableFuture<List<Sample>> pending = driver.readAll().toCompletableFuture();
        assertThat(pending).isNotDone();
        release.countDown();
        assertThat(pending.orTimeout(5, TimeUnit.SECONDS).join()).hasSize(2);
    }

    @Test
    void the_stage_is_completed_on_the_drivers_own_io_thread() {
        ModbusDriver driver = driver(twoRegisters());
        CountDownLatch release = new CountDownLatch(1);
        link.beforeRead = () -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        // attached while the read is still pending, so it runs on the thread that completes the stage
        CompletableFuture<String> completingThread = driver.readAll()
                .thenApply(s -> Thread.currentThread().getName()).toCompletableFuture();
        release.countDown();
        assertThat(completingThread.orTimeout(5, TimeUnit.SECONDS).join()).isEqualTo("modbus-dev");
    }

    private static ModbusChannel holding(String name, int address, ModbusDataType type) {
        return channel(name, ModbusTable.HOLDING, address, type);
    }

    @Test
    void exception_3_to_a_long_read_splits_it_and_teaches_a_limit_that_every_later_plan_keeps() {
        List<ModbusChannel> channels = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            channels.add(holding("r" + i, 2 * i, ModbusDataType.FLOAT32));
        }
        FakeLink.Device device = FakeLink.withAddresses(1000);
        link.device = (t, s, q) -> q > 20 ? new ReadOutcome.DeviceException(3) : device.read(t, s, q);
        ModbusDriver driver = driver(channels);

        assertThat(read(driver)).allMatch(s -> s.quality() == Quality.GOOD);
        assertThat(driver.currentPlan()).allSatisfy(r -> assertThat(r.quantity()).isLessThanOrEqualTo(20));
        link.clearLog();
        assertThat(read(driver)).allMatch(s -> s.quality() == Quality.GOOD);
        assertThat(link.reads()).as("no more refused reads").hasSize(driver.currentPlan().size());
    }

    @Test
    void a_hole_between_two_channels_is_learnt_once_and_never_read_across_again() {
        link.device = FakeLink.withHoles(java.util.Set.of(3, 4));
        ModbusDriver driver = driver(List.of(holding("a", 0, ModbusDataType.FLOAT32),
                holding("b", 5, ModbusDataType.FLOAT32), holding("c", 7, ModbusDataType.UINT16)));
        assertThat(read(driver)).allMatch(s -> s.quality() == Quality.GOOD);
        assertThat(link.reads()).startsWith("read holding 0+8");
        assertThat(driver.refusals()).as("the whole unread gap between the parts that answered")
                .contains("HOLDING={2, 3, 4}");
        link.clearLog();
        assertThat(read(driver)).allMatch(s -> s.quality() == Quality.GOOD);
        assertThat(link.reads()).containsExactly("read holding 0+2", "read holding 5+3");
    }

    @Test
    void a_damaged_answer_marks_its_request_bad_comm_fail_and_the_cycle_goes_on() {
        ModbusDriver driver = driver(List.of(holding("h", 0, ModbusDataType.UINT16),
                channel("i", ModbusTable.INPUT, 0, ModbusDataType.UINT16)));
        FakeLink.Device healthy = link.device;
        link.device = (t, s, q) -> t == ModbusTable.HOLDING ? new ReadOutcome.Garbled("CRC error: frame carries 0000")
                : healthy.read(t, s, q);
        List<Sample> samples = read(driver);
        assertThat(samples.get(0).quality()).isEqualTo(Quality.BAD_COMM_FAIL);
        assertThat(samples.get(0).reason()).contains("damaged answer", "CRC error");
        assertThat(samples.get(1).quality()).isEqualTo(Quality.GOOD);
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
    }

    @Test
    void a_deadband_reports_the_last_value_until_the_change_adds_up_to_the_deadband() {
        ModbusChannel level = new ModbusChannel("level", "l.yaml", ModbusTable.HOLDING, 0, ModbusDataType.UINT16,
                RegisterOrder.ABCD, OptionalInt.empty(), 1, 0, false, 1, 5.0, false);
        int[] register = {100};
        link.device = (t, s, q) -> new ReadOutcome.Registers(new int[]{register[0]});
        ModbusDriver driver = driver(List.of(level));
        List<Object> reported = new ArrayList<>();
        for (int value : new int[]{100, 103, 104, 106, 102, 101, 94}) {
            register[0] = value;
            reported.add(read(driver).get(0).value());
        }
        // a slow drift (100 -> 106) shows once it has moved 5 from the last report, noise around it does not
        assertThat(reported).containsExactly(100L, 100L, 100L, 106L, 106L, 101L, 94L);
    }

    @Test
    void a_bad_sample_resets_the_deadband_so_the_next_good_value_is_reported_as_read() {
        ModbusChannel level = new ModbusChannel("level", "l.yaml", ModbusTable.HOLDING, 0, ModbusDataType.UINT16,
                RegisterOrder.ABCD, OptionalInt.empty(), 1, 0, false, 1, 5.0, false);
        int[] register = {100};
        FakeLink.Device value = (t, s, q) -> new ReadOutcome.Registers(new int[]{register[0]});
        link.device = value;
        ModbusDriver driver = driver(List.of(level));
        assertThat(read(driver).get(0).value()).isEqualTo(100L);
        link.device = (t, s, q) -> new ReadOutcome.DeviceException(4);
        assertThat(read(driver).get(0).quality()).isEqualTo(Quality.BAD_DEVICE_EXCEPTION);
        link.device = value;
        register[0] = 102;
        assertThat(read(driver).get(0).value()).isEqualTo(102L);
    }

    private WriteResult write(ModbusDriver driver, String channel, Object value) {
        return driver.write(channel, value).toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
    }

    @Test
    void a_channel_write_picks_fc05_fc06_fc15_or_fc16_from_the_table_the_size_and_write_multiple() {
        ModbusChannel forced = new ModbusChannel("forced", "f.yaml", ModbusTable.HOLDING, 7, ModbusDataType.UINT16,
                RegisterOrder.ABCD, OptionalInt.empty(), 1, 0, false, 1, 0, true);
        ModbusChannel coils = new ModbusChannel("valve", "v.yaml", ModbusTable.COIL, 9, ModbusDataType.BOOL,
                RegisterOrder.ABCD, OptionalInt.empty(), 1, 0, false, 1, 0, true);
        ModbusDriver driver = driver(List.of(holding("one", 1, ModbusDataType.INT16),
                holding("two", 2, ModbusDataType.FLOAT32), channel("pump", ModbusTable.COIL, 8, ModbusDataType.BOOL),
                forced, coils));
        assertThat(write(driver, "one", -1L).isGood()).isTrue();
        assertThat(write(driver, "two", 20.0).isGood()).isTrue();
        assertThat(write(driver, "pump", true).isGood()).isTrue();
        assertThat(write(driver, "forced", 5L).isGood()).isTrue();
        assertThat(write(driver, "valve", false).isGood()).isTrue();
        assertThat(link.writes()).containsExactly("write FC06 holding 1", "write FC16 holding 2+2", "write FC05 coil 8",
                "write FC16 holding 7", "write FC15 coil 9");
    }

    @Test
    void a_write_the_channel_cannot_take_never_reaches_the_device() {
        ModbusDriver driver = driver(List.of(channel("in", ModbusTable.INPUT, 0, ModbusDataType.UINT16),
                channel("di", ModbusTable.DISCRETE, 0, ModbusDataType.BOOL),
                new ModbusChannel("flag", "f.yaml", ModbusTable.HOLDING, 3, ModbusDataType.UINT16, RegisterOrder.ABCD,
                        OptionalInt.of(2), 1, 0, false, 1, 0, false),
                holding("u", 4, ModbusDataType.UINT16), holding("f", 5, ModbusDataType.FLOAT32)));
        assertThat(write(driver, "in", 1L).quality()).isEqualTo(Quality.BAD_CONFIG);
        assertThat(write(driver, "di", true).quality()).isEqualTo(Quality.BAD_CONFIG);
        assertThat(write(driver, "flag", true).reason()).contains("read-modify-write");
        assertThat(write(driver, "u", -1L).quality()).isEqualTo(Quality.BAD_OUT_OF_RANGE);
        assertThat(write(driver, "u", 70_000L).quality()).isEqualTo(Quality.BAD_OUT_OF_RANGE);
        assertThat(write(driver, "f", "high").quality()).isEqualTo(Quality.BAD_OUT_OF_RANGE);
        assertThat(write(driver, "f", 1e300).quality()).isEqualTo(Quality.BAD_OUT_OF_RANGE);
        assertThat(link.writes()).isEmpty();
    }

    @Test
    void a_write_that_times_out_says_it_may_have_happened_and_backs_the_device_off() {
        link.writer = command -> new ReadOutcome.Timeout("no answer");
        ModbusDriver driver = driver(twoRegisters());
        WriteResult result = write(driver, "a", 5L);
        assertThat(result.quality()).isEqualTo(Quality.BAD_TIMEOUT);
        assertThat(result.reason()).contains("may or may not have happened");
        assertThat(driver.state()).isEqualTo(DriverState.BACKING_OFF);
        assertThat(write(driver, "a", 5L).reason()).contains("not written", "next attempt in");
        assertThat(link.writes()).hasSize(1);
    }

    @Test
    void a_write_on_a_connection_the_device_closed_while_idle_is_sent_once_more_on_a_fresh_one() {
        ModbusDriver driver = driver(twoRegisters());
        read(driver);
        FakeLink.Writer healthy = link.writer;
        link.writer = command -> {
            link.writer = healthy;
            return new ReadOutcome.CommFailure("Connection reset");
        };
        assertThat(write(driver, "b", 9L).isGood()).isTrue();
        assertThat(link.writes()).hasSize(2);
        assertThat(link.count("connect")).isEqualTo(2);
    }

    @Test
    void raw_writes_go_out_as_given_and_impossible_ones_are_refused_before_queueing() {
        ModbusDriver driver = driver(twoRegisters());
        assertThat(driver.writeRegisters(100, 1, 2, 3).toCompletableFuture().join().isGood()).isTrue();
        assertThat(driver.writeCoils(5, true, false).toCompletableFuture().join().isGood()).isTrue();
        assertThat(link.writes()).containsExactly("write FC16 holding 100+3", "write FC15 coil 5+2");
        assertThatThrownBy(() -> driver.writeRegisters(0, new int[124])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.writeRegister(0, 70_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.writeCoil(65_536, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void raw_reads_ask_the_unit_given_and_a_silent_unit_neither_backs_the_driver_off_nor_stops_the_next_read() {
        ModbusDriver driver = driver(twoRegisters());
        assertThat(driver.read(ModbusTable.HOLDING, 3, 2).toCompletableFuture().join())
                .isInstanceOfSatisfying(ModbusReadResult.Registers.class,
                        r -> assertThat(r.values()).containsExactly(3, 4));
        assertThat(link.log).containsSubsequence("unit 1", "read holding 3+2");

        link.device = (t, s, q) -> new ReadOutcome.Timeout("Socket timeout reading response");
        assertThat(driver.read(7, ModbusTable.COIL, 0, 1).toCompletableFuture().join())
                .isEqualTo(new ModbusReadResult.Timeout("no answer within 200 ms"));
        assertThat(driver.state()).as("a probe's silent unit is no reason to back off")
                .isNotEqualTo(DriverState.BACKING_OFF);

        link.device = (t, s, q) -> new ReadOutcome.DeviceException(2);
        assertThat(driver.read(8, ModbusTable.INPUT, 0, 1).toCompletableFuture().join())
                .isEqualTo(new ModbusReadResult.DeviceException(2));
        assertThat(link.log).containsSubsequence("unit 7", "unit 8");
        assertThat(new ModbusReadResult.DeviceException(2).describe())
                .isEqualTo("Modbus exception 2 (illegal data address)");
        assertThat(new ModbusReadResult.DeviceException(11).fromGateway()).isTrue();
    }

    @Test
    void a_raw_read_of_a_device_that_cannot_be_reached_says_so_and_impossible_ones_are_refused_before_queueing() {
        ModbusDriver driver = driver(twoRegisters());
        link.refuseConnect = true;
        assertThat(driver.read(ModbusTable.HOLDING, 0, 1).toCompletableFuture().join())
                .isEqualTo(new ModbusReadResult.Unreachable("cannot connect to plc:502: Connection refused"));
        assertThat(driver.state()).isEqualTo(DriverState.DISCONNECTED);
        assertThatThrownBy(() -> driver.read(ModbusTable.HOLDING, 0, 126))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.read(ModbusTable.COIL, 65_535, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.read(256, ModbusTable.HOLDING, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(link.reads()).isEmpty();
    }
}
