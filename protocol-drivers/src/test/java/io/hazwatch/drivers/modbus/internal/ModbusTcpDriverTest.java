package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusChannel;
import io.hazwatch.drivers.modbus.ModbusDataType;
import io.hazwatch.drivers.modbus.ModbusDeviceConfig;
import io.hazwatch.drivers.modbus.ModbusTable;
import io.hazwatch.drivers.modbus.RegisterOrder;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.DriverClosedException;
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
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The driver's cycle, state machine and backoff against a scripted link: no sockets, no sleeps. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ModbusTcpDriverTest {

    private final MutableClock clock = new MutableClock(1_000_000);
    private final FakeLink link = new FakeLink();
    private final List<ModbusTcpDriver> drivers = new ArrayList<>();

    @AfterEach
    void closeDrivers() {
        drivers.forEach(ModbusTcpDriver::close);
    }

    private static ModbusChannel channel(String name, ModbusTable table, int address, ModbusDataType type) {
        return new ModbusChannel(name, name + ".yaml", table, address, type, RegisterOrder.ABCD, OptionalInt.empty(),
                1, 0, false);
    }

    private ModbusTcpDriver driver(long backoffMin, long backoffMax, List<ModbusChannel> channels) {
        ModbusDeviceConfig config = new ModbusDeviceConfig("dev", "plc", 502, 1, 200, 125, 8, backoffMin, backoffMax,
                channels);
        DeviceSpec spec = new DeviceSpec("dev", "modbus-tcp", Map.of("host", "plc"), List.of(), "dev.yaml");
        ModbusTcpDriver driver = new ModbusTcpDriver(spec, config, clock, link);
        drivers.add(driver);
        return driver;
    }

    private ModbusTcpDriver driver(List<ModbusChannel> channels) {
        return driver(100, 400, channels);
    }

    private static List<Sample> read(ModbusTcpDriver driver) {
        return driver.readAll().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
    }

    private static List<ModbusChannel> twoRegisters() {
        return List.of(channel("a", ModbusTable.HOLDING, 0, ModbusDataType.UINT16),
                channel("b", ModbusTable.HOLDING, 1, ModbusDataType.UINT16));
    }

    @Test
    void the_first_read_connects_and_returns_one_good_sample_per_channel_in_configuration_order() {
        ModbusTcpDriver driver = driver(List.of(channel("third", ModbusTable.HOLDING, 16, ModbusDataType.UINT16),
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
        ModbusTcpDriver driver = driver(100, 400, twoRegisters());
        link.refuseConnect = true;

        List<Sample> first = read(driver);
        assertThat(first).allSatisfy(s -> {
            assertThat(s.quality()).isEqualTo(Quality.BAD_COMM_FAIL);
            assertThat(s.reason()).contains("cannot connect to plc:502", "Connection refused", "100 ms");
        });
        assertThat(driver.state()).isEqualTo(DriverState.BACKING_OFF);

        // during the backoff reads answer without trying the device
        clock.advance(99);
        assertThat(read(driver)).allSatisfy(s -> assertThat(s.reason()).contains("reconnecting to plc:502 in 1 ms"));
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
        ModbusTcpDriver driver = driver(twoRegisters());
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
        ModbusTcpDriver driver = driver(twoRegisters());
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
        ModbusTcpDriver driver = driver(List.of(channel("a", ModbusTable.HOLDING, 0, ModbusDataType.UINT16),
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
        ModbusTcpDriver driver = driver(channels);
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
        ModbusTcpDriver driver = driver(twoRegisters());
        List<Sample> samples = read(driver);
        assertThat(samples).allSatisfy(s -> {
            assertThat(s.quality()).isEqualTo(Quality.BAD_DEVICE_EXCEPTION);
            assertThat(s.reason()).contains("Modbus exception 4 (server device failure)");
        });
        assertThat(link.reads()).hasSize(1);
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
    }

    @Test
    void a_timeout_marks_its_request_and_the_rest_of_the_cycle_bad_timeout_and_the_next_read_reconnects() {
        ModbusTcpDriver driver = driver(List.of(channel("h", ModbusTable.HOLDING, 0, ModbusDataType.UINT16),
                channel("i", ModbusTable.INPUT, 0, ModbusDataType.UINT16)));
        link.device = (t, s, q) -> new ReadOutcome.Timeout("Socket timeout reading response");
        List<Sample> samples = read(driver);
        assertThat(samples).allMatch(s -> s.quality() == Quality.BAD_TIMEOUT);
        assertThat(samples.get(0).reason()).contains("no answer within 200 ms");
        assertThat(samples.get(1).reason()).contains("not read");
        assertThat(link.reads()).hasSize(1);
        assertThat(driver.state()).isEqualTo(DriverState.DISCONNECTED);

        link.device = FakeLink.withAddresses(10);
        assertThat(read(driver)).allMatch(s -> s.quality() == Quality.GOOD);
        assertThat(link.count("connect")).isEqualTo(2);
    }

    @Test
    void a_float_that_decodes_to_nan_is_bad_out_of_range() {
        link.device = (t, s, q) -> new ReadOutcome.Registers(new int[] {0x7FC0, 0x0000});
        ModbusTcpDriver driver = driver(List.of(channel("f", ModbusTable.HOLDING, 0, ModbusDataType.FLOAT32)));
        Sample sample = read(driver).get(0);
        assertThat(sample.quality()).isEqualTo(Quality.BAD_OUT_OF_RANGE);
        assertThat(sample.value()).isNull();
        assertThat(sample.reason()).contains("NaN");
    }

    @Test
    void close_fails_queued_reads_lets_the_running_one_finish_and_is_idempotent() {
        ModbusTcpDriver driver = driver(twoRegisters());
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
        ModbusTcpDriver driver = driver(twoRegisters());
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
        ModbusTcpDriver driver = driver(twoRegisters());
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
        assertThat(completingThread.orTimeout(5, TimeUnit.SECONDS).join()).isEqualTo("modbus-tcp-dev");
    }
}
