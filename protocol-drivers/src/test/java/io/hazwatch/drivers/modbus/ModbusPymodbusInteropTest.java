package io.hazwatch.drivers.modbus;

import io.hazwatch.drivers.modbus.internal.ModbusDriver;
import io.hazwatch.drivers.modbus.internal.ReadRequest;
import io.hazwatch.drivers.modbus.testing.ExternalProcess;
import io.hazwatch.drivers.modbus.testing.Peers;
import io.hazwatch.drivers.modbus.testing.PtyPair;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static io.hazwatch.drivers.modbus.ModbusDriverContract.byName;
import static io.hazwatch.drivers.modbus.ModbusDriverContract.ch;
import static io.hazwatch.drivers.modbus.ModbusDriverContract.read;
import static io.hazwatch.drivers.modbus.ModbusDriverContract.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interop with a peer no one here wrote: our Modbus drivers read and write a pymodbus server (Debian
 * python3-pymodbus) whose register map is laid out by src/test/resources/interop/pymodbus_server.py
 * with Python's struct module: every type and order, a hole that answers exception 2, scratch for
 * writes. Over TCP, and over RTU on a socat pty pair.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ModbusPymodbusInteropTest {

    @TempDir
    Path dir;
    private ExternalProcess server;
    private final List<Driver> drivers = new ArrayList<>();

    @AfterEach
    void stop() {
        drivers.forEach(Driver::close);
        if (server != null) {
            server.close();
        }
    }

    private static Path script() {
        try {
            return Path.of(Objects.requireNonNull(ModbusPymodbusInteropTest.class
                    .getResource("/interop/pymodbus_server.py"), "interop script").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Every entry of the script's map, as an integrator would configure it. */
    private static List<ChannelSpec> mapChannels() {
        return List.of(
                ch("f_abcd", "address", 0, "type", "float32"),
                ch("f_cdab", "address", 2, "type", "float32", "order", "CDAB"),
                ch("i16", "address", 4, "type", "int16"),
                ch("u32", "address", 5, "type", "uint32"),
                ch("pi", "address", 7, "type", "float64"),
                ch("tag", "address", 11, "type", "string", "length", 4),
                ch("status", "address", 15, "type", "uint16"),
                ch("al1", "address", 15, "type", "uint16", "bit", 6),
                ch("f_dcba", "address", 18, "type", "float32", "order", "DCBA"),
                ch("in_f", "table", "input", "address", 0, "type", "float32"),
                ch("in_u16", "table", "input", "address", 2, "type", "uint16", "scale", 0.01),
                ch("coil2", "table", "coil", "address", 2),
                ch("coil4", "table", "coil", "address", 4),
                ch("di1", "table", "discrete", "address", 1),
                ch("di7", "table", "discrete", "address", 7));
    }

    private Driver driver(String type, Map<String, Object> connection, List<ChannelSpec> channels)
            throws DriverConfigException {
        Map<String, Object> props = new HashMap<>(connection);
        props.put("timeoutMs", 2000);
        DeviceSpec spec = new DeviceSpec("pymodbus", type, props, channels, "interop");
        DriverFactory factory = DriverFactory.installed().stream().filter(f -> f.type().equals(type)).findFirst()
                .orElseThrow();
        assertThat(factory.validate(spec)).isEmpty();
        Driver driver = factory.create(spec, Clock.systemUTC());
        drivers.add(driver);
        return driver;
    }

    private Driver tcpDriver(List<ChannelSpec> channels) throws Exception {
        Peers.assumePymodbus();
        int port = freePort();
        server = ExternalProcess.startAndAwait(List.of(Peers.PYTHON, script().toString(), "tcp", String.valueOf(port)),
                "ready", Duration.ofSeconds(30));
        return driver("modbus-tcp", Map.of("host", "127.0.0.1", "port", port), channels);
    }

    private static void assertMapValues(Map<String, Sample> v) {
        assertThat(v.values()).allSatisfy(s -> assertThat(s.quality()).as(s.channel() + " " + s.reason())
                .isEqualTo(Quality.GOOD));
        assertThat(v.get("f_abcd").value()).isEqualTo(20.0);
        assertThat(v.get("f_cdab").value()).isEqualTo(20.0);
        assertThat(v.get("i16").value()).isEqualTo(-123L);
        assertThat(v.get("u32").value()).isEqualTo(0xEFCD_AB89L);
        assertThat(v.get("pi").value()).isEqualTo(Math.PI);
        assertThat(v.get("tag").value()).isEqualTo("HAZWATCH");
        assertThat(v.get("status").value()).isEqualTo(0xC0L);
        assertThat(v.get("al1").value()).isEqualTo(true);
        assertThat(v.get("f_dcba").value()).isEqualTo(20.0);
        assertThat(v.get("in_f").value()).isEqualTo(5.0);
        assertThat((Double) v.get("in_u16").value()).isEqualTo(43.21, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(v.get("coil2").value()).isEqualTo(true);
        assertThat(v.get("coil4").value()).isEqualTo(false);
        assertThat(v.get("di1").value()).isEqualTo(true);
        assertThat(v.get("di7").value()).isEqualTo(true);
    }

    @Test
    void our_tcp_driver_reads_every_type_and_order_a_pymodbus_server_lays_out() throws Exception {
        List<ChannelSpec> channels = new ArrayList<>(mapChannels());
        Driver driver = tcpDriver(channels);
        assertMapValues(byName(read(driver)));
    }

    @Test
    void a_hole_in_the_pymodbus_map_is_bad_for_its_point_only_and_never_read_across_again() throws Exception {
        List<ChannelSpec> channels = new ArrayList<>(mapChannels());
        channels.add(ch("hole", "address", 16, "type", "int16"));
        Driver driver = tcpDriver(channels);
        for (int cycle = 0; cycle < 2; cycle++) {
            Map<String, Sample> v = byName(read(driver));
            Sample hole = v.remove("hole");
            assertThat(hole.quality()).isEqualTo(Quality.BAD_DEVICE_EXCEPTION);
            assertThat(hole.reason()).contains("Modbus exception 2");
            assertMapValues(v);
        }
        List<ReadRequest> plan = ((ModbusDriver) driver).currentPlan();
        assertThat(plan).filteredOn(r -> r.table() == ModbusTable.HOLDING && r.start() <= 17 && r.end() >= 16)
                .as("only the refused channel's own request touches 16..17").singleElement()
                .satisfies(r -> assertThat(r.start()).isEqualTo(16));
    }

    @Test
    void writes_of_every_function_code_are_stored_by_pymodbus_and_read_back() throws Exception {
        Driver driver = tcpDriver(List.of(
                ch("w_float", "address", 20, "type", "float32", "order", "CDAB"),
                ch("w_int", "address", 22, "type", "int16"),
                ch("w_text", "address", 23, "type", "string", "length", 2, "order", "BADC"),
                ch("w_coil", "table", "coil", "address", 8),
                ch("w_coils", "table", "coil", "address", 9, "writeMultiple", true)));
        ModbusDriverContract.assertWritten(write(driver, "w_float", -1.5));
        ModbusDriverContract.assertWritten(write(driver, "w_int", -2L));
        ModbusDriverContract.assertWritten(write(driver, "w_text", "AB"));
        ModbusDriverContract.assertWritten(write(driver, "w_coil", true));
        ModbusDriverContract.assertWritten(write(driver, "w_coils", true));
        ModbusDriverContract.assertWritten(((ModbusWriter) driver).writeRegisters(26, 7, 8, 9).toCompletableFuture()
                .orTimeout(10, TimeUnit.SECONDS).join());
        Map<String, Sample> v = byName(read(driver));
        assertThat(v.get("w_float").value()).isEqualTo(-1.5);
        assertThat(v.get("w_int").value()).isEqualTo(-2L);
        assertThat(v.get("w_text").value()).isEqualTo("AB");
        assertThat(v.get("w_coil").value()).isEqualTo(true);
        assertThat(v.get("w_coils").value()).isEqualTo(true);
    }

    @Test
    void our_rtu_driver_reads_the_same_map_from_pymodbus_on_a_pty_pair() throws Exception {
        Peers.assumePymodbus();
        Peers.assumeSocat();
        try (PtyPair pty = PtyPair.open(dir)) {
            server = ExternalProcess.startAndAwait(List.of(Peers.PYTHON, script().toString(), "rtu",
                    pty.b().toString(), "9600"), "ready", Duration.ofSeconds(30));
            Driver driver = driver("modbus-rtu", Map.of("port", pty.a().toString(), "baudRate", 9600), mapChannels());
            assertMapValues(byName(read(driver)));
            ModbusDriverContract.assertWritten(((ModbusWriter) driver).writeRegister(25, 0x1234).toCompletableFuture()
                    .orTimeout(10, TimeUnit.SECONDS).join());
        }
    }
}
