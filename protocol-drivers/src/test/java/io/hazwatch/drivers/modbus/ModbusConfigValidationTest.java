package io.hazwatch.drivers.modbus;

import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ModbusConfigValidationTest {

    private final ModbusTcpDriverFactory factory = new ModbusTcpDriverFactory();

    private static ChannelSpec ch(String name, int line, Object... keyValues) {
        Map<String, Object> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new ChannelSpec(name, props, "farm.yaml:" + line);
    }

    private static DeviceSpec device(Map<String, Object> props, ChannelSpec... channels) {
        return new DeviceSpec("tf1", "modbus-tcp", props, List.of(channels), "farm.yaml:1");
    }

    @Test
    void the_factory_is_found_by_service_loader_under_modbus_tcp() {
        assertThat(DriverFactory.installed()).extracting(DriverFactory::type).contains("modbus-tcp");
    }

    @Test
    void a_minimal_device_gets_the_documented_defaults() throws DriverConfigException {
        ModbusDeviceConfig config = factory.parse(device(Map.of("host", "10.0.0.5"),
                ch("level", 3, "address", 0, "type", "float32")));
        assertThat(config.endpoint()).isEqualTo(new ModbusEndpoint.Tcp("10.0.0.5", 502));
        assertThat(config.unitId()).isEqualTo(1);
        assertThat(config.timeoutMs()).isEqualTo(1000);
        assertThat(config.maxRegistersPerRead()).isEqualTo(125);
        assertThat(config.maxGap()).isEqualTo(8);
        assertThat(config.backoffMinMs()).isEqualTo(500);
        assertThat(config.backoffMaxMs()).isEqualTo(30_000);
        ModbusChannel level = config.channels().get(0);
        assertThat(level.table()).isEqualTo(ModbusTable.HOLDING);
        assertThat(level.order()).isEqualTo(RegisterOrder.ABCD);
        assertThat(level.scaled()).isFalse();
        assertThat(level.location()).isEqualTo("farm.yaml:3");
    }

    @Test
    void numbers_may_be_strings_or_hex_and_names_are_case_insensitive() throws DriverConfigException {
        ModbusDeviceConfig config = factory.parse(device(Map.of("host", "plc", "port", "5020", "unitId", 3L),
                ch("gas", 2, "table", "Input", "address", "0x0C", "type", "FLOAT32", "order", "cdab", "scale", "0.5"),
                ch("alarm", 3, "table", "discrete", "address", 9.0)));
        assertThat(config.endpoint()).isEqualTo(new ModbusEndpoint.Tcp("plc", 5020));
        assertThat(config.unitId()).isEqualTo(3);
        ModbusChannel gas = config.channels().get(0);
        assertThat(gas.address()).isEqualTo(12);
        assertThat(gas.table()).isEqualTo(ModbusTable.INPUT);
        assertThat(gas.order()).isEqualTo(RegisterOrder.CDAB);
        assertThat(gas.scale()).isEqualTo(0.5);
        assertThat(gas.scaled()).isTrue();
        assertThat(config.channels().get(1).type()).as("bit tables default to bool").isEqualTo(ModbusDataType.BOOL);
    }

    @Test
    void validation_lists_every_device_and_channel_problem_with_its_location() {
        Map<String, Object> props = new HashMap<>();
        props.put("port", 70_000);
        props.put("unitId", 300);
        props.put("timeoutMs", 0);
        props.put("maxGap", -1);
        props.put("backoffMinMs", 5000);
        props.put("backoffMaxMs", 100);
        props.put("unitID", 1);
        DeviceSpec spec = device(props,
                ch("a", 10, "table", "holdng", "address", 0, "type", "float32"),
                ch("b", 11, "address", 70_000, "type", "uint16"),
                ch("c", 12, "type", "uint16"),
                ch("d", 13, "address", 1, "type", "float128"),
                ch("e", 14, "address", 1, "type", "float32", "order", "ADCB"),
                ch("f", 15, "address", 1, "type", "uint16", "bit", 16),
                ch("g", 16, "address", 1, "type", "float32", "bit", 3),
                ch("h", 17, "address", 1, "type", "bool", "scale", 2),
                ch("i", 18, "address", 65_534, "type", "float64"),
                ch("j", 19, "table", "coil", "address", 1, "type", "float32"),
                ch("a", 20, "address", 2, "type", "int16"),
                ch("k", 21, "address", 1.5, "type", "int16", "scale", "x"),
                ch("l", 22, "address", 3, "type", "int16", "colour", "red"));
        List<ConfigProblem> problems = factory.validate(spec);

        assertThat(problems).extracting(ConfigProblem::location, p -> key(p.message())).containsExactlyInAnyOrder(
                tuple("farm.yaml:1", "'host' is required"),
                tuple("farm.yaml:1", "'port' must be 1..65535"),
                tuple("farm.yaml:1", "'unitId' must be 0..255"),
                tuple("farm.yaml:1", "'timeoutMs' must be 1..600000"),
                tuple("farm.yaml:1", "'maxGap' must be 0..125"),
                tuple("farm.yaml:1", "'backoffMaxMs' (100) must not be less than 'backoffMinMs' (5000)"),
                tuple("farm.yaml:1", "unknown property 'unitID' (did you mean 'unitId'?)"),
                tuple("farm.yaml:10", "unknown table 'holdng'"),
                tuple("farm.yaml:11", "'address' must be 0..65535"),
                tuple("farm.yaml:12", "'address' is required"),
                tuple("farm.yaml:13", "unknown type 'float128'"),
                tuple("farm.yaml:14", "unknown order 'ADCB'"),
                tuple("farm.yaml:15", "'bit' must be 0..15"),
                tuple("farm.yaml:16", "'bit' needs a 16-bit type (int16, uint16 or bool)"),
                tuple("farm.yaml:17", "properties 'scale' and 'offset' do not apply to a boolean value"),
                tuple("farm.yaml:18", "runs past address 65535"),
                tuple("farm.yaml:19", "'type' must be bool"),
                tuple("farm.yaml:20", "duplicate name (first defined at farm.yaml:10)"),
                tuple("farm.yaml:21", "'address' must be an integer"),
                tuple("farm.yaml:21", "'scale' must be a finite number"),
                tuple("farm.yaml:22", "unknown property 'colour'"));
        assertThat(problems).allSatisfy(p -> assertThat(p.toString()).startsWith(p.location() + ": "));
        assertThat(problems).filteredOn(p -> p.location().equals("farm.yaml:10"))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("channel 'a'", "holding, input"));
    }

    @Test
    void a_channel_wider_than_max_registers_per_read_is_refused() {
        DeviceSpec spec = device(Map.of("host", "plc", "maxRegistersPerRead", 3),
                ch("total", 5, "address", 0, "type", "float64"),
                ch("ok", 6, "address", 10, "type", "float32"));
        assertThat(factory.validate(spec)).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo("farm.yaml:5");
            assertThat(p.message()).contains("spans 4 registers, more than maxRegistersPerRead (3)");
        });
    }

    @Test
    void two_channels_may_read_the_same_register_for_different_bits() {
        DeviceSpec spec = device(Map.of("host", "plc"),
                ch("al1", 5, "address", 10, "type", "uint16", "bit", 6),
                ch("al2", 6, "address", 10, "type", "bool", "bit", 7),
                ch("status", 7, "address", 10, "type", "uint16"));
        assertThat(factory.validate(spec)).isEmpty();
    }

    @Test
    void a_device_of_another_driver_type_is_refused() {
        DeviceSpec spec = new DeviceSpec("x", "opc-ua", Map.of("host", "plc"), List.of(), "x.yaml:1");
        assertThat(factory.validate(spec)).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("'opc-ua' is not modbus-tcp"));
    }

    @Test
    void create_refuses_a_bad_device_with_every_problem_in_the_exception() {
        DeviceSpec spec = device(Map.of("port", 0), ch("a", 2, "type", "nope"));
        assertThatThrownBy(() -> factory.create(spec, Clock.systemUTC()))
                .isInstanceOfSatisfying(DriverConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(4);
                    assertThat(e.getMessage()).contains("farm.yaml:1: ", "farm.yaml:2: ", "'host' is required",
                            "unknown type 'nope'", "'address' is required");
                });
    }

    /** The part of a message after the "device 'x': " or "channel 'y': " label. */
    private static String key(String message) {
        String rest = message.replaceFirst("^(device|channel) '[^']*': ", "");
        for (String stop : List.of(", got", " (expected", " (one of", " (known")) {
            int at = rest.indexOf(stop);
            if (at >= 0) {
                rest = rest.substring(0, at);
            }
        }
        return rest.replaceFirst("^property ", "").replaceFirst("^a \\w+ at address \\d+ ", "")
                .replaceFirst("^a coil is a single bit, so ", "");
    }

    @Test
    void all_four_modbus_driver_types_are_found_by_service_loader() {
        assertThat(DriverFactory.installed()).extracting(DriverFactory::type)
                .contains("modbus-tcp", "modbus-rtu", "modbus-rtu-tcp", "modbus-ascii");
    }

    @Test
    void a_serial_rtu_device_defaults_to_9600_8n1_and_an_ascii_device_to_7e1() throws DriverConfigException {
        ModbusDeviceConfig rtu = new ModbusRtuDriverFactory().parse(new DeviceSpec("g1", "modbus-rtu",
                Map.of("port", "/dev/ttyUSB0"), List.of(ch("gas", 3, "address", 2, "type", "float32")), "gas.yaml:1"));
        assertThat(rtu.endpoint()).isEqualTo(new ModbusEndpoint.Serial(new SerialSettings("/dev/ttyUSB0", 9600, 8,
                SerialSettings.Parity.NONE, 1), ModbusSerialMode.RTU));
        assertThat(rtu.unitId()).isEqualTo(1);
        ModbusDeviceConfig ascii = new ModbusAsciiDriverFactory().parse(new DeviceSpec("g2", "modbus-ascii",
                Map.of("port", "/dev/ttyS1", "baudRate", "19200", "parity", "E", "unitId", 17),
                List.of(ch("gas", 3, "address", 2, "type", "float32")), "gas.yaml:1"));
        assertThat(((ModbusEndpoint.Serial) ascii.endpoint()).settings())
                .isEqualTo(new SerialSettings("/dev/ttyS1", 19200, 7, SerialSettings.Parity.EVEN, 1));
        ModbusDeviceConfig overTcp = new ModbusRtuOverTcpDriverFactory().parse(new DeviceSpec("g3", "modbus-rtu-tcp",
                Map.of("host", "10.0.0.9", "port", 4001, "unitId", 5),
                List.of(ch("gas", 3, "address", 2, "type", "float32")), "gas.yaml:1"));
        assertThat(overTcp.endpoint()).isEqualTo(new ModbusEndpoint.RtuOverTcp("10.0.0.9", 4001));
    }

    @Test
    void serial_settings_are_checked_against_the_serial_line_standard() {
        DeviceSpec spec = new DeviceSpec("g1", "modbus-rtu", Map.of("dataBits", 7, "parity", "mark", "stopBits", 3,
                "unitId", 0, "baudRate", 10, "host", "x"), List.of(ch("gas", 3, "address", 2, "type", "float32")),
                "gas.yaml:1");
        assertThat(new ModbusRtuDriverFactory().validate(spec)).extracting(p -> key(p.message()))
                .containsExactlyInAnyOrder("'port' is required", "'dataBits' must be 8..8", "unknown parity 'mark'",
                        "'stopBits' must be 1..2", "'unitId' must be 1..247", "'baudRate' must be 50..4000000",
                        "unknown property 'host'");
    }

    @Test
    void an_impossible_register_map_is_refused_at_load_with_each_point_named() {
        DeviceSpec spec = device(Map.of("host", "plc"),
                ch("level", 5, "address", 0, "type", "float32"),
                ch("temp", 6, "address", 1, "type", "int16"),               // inside level's second register
                ch("total", 7, "address", 10, "type", "float32", "length", 3), // a float32 is 2 registers
                ch("tag", 8, "address", 20, "type", "string", "length", 126),  // a read holds at most 125
                ch("name", 9, "address", 200, "type", "string"),               // a string needs its length
                ch("status", 10, "address", 30, "type", "uint16"),
                ch("al1", 11, "address", 30, "type", "uint16", "bit", 6));     // same register: fine
        assertThat(factory.validate(spec)).extracting(ConfigProblem::location, p -> key(p.message()))
                .containsExactlyInAnyOrder(
                        tuple("farm.yaml:6", "registers 1..1 overlap channel 'level' (0..1) without being the same registers"),
                        tuple("farm.yaml:7", "a float32 spans 2 registers; 'length' 3 does not fit it"),
                        tuple("farm.yaml:8", "'length' must be 1..125"),
                        tuple("farm.yaml:9", "a string needs property 'length' (registers, 1..125)"));
    }

    @Test
    void strings_deadbands_and_write_multiple_are_accepted_only_where_they_make_sense() {
        DeviceSpec spec = device(Map.of("host", "plc"),
                ch("tag", 5, "address", 0, "type", "string", "length", 4, "order", "CDAB"),
                ch("tag2", 6, "address", 10, "type", "string", "length", 2, "scale", 2),
                ch("flag", 7, "address", 20, "type", "bool", "deadband", 1),
                ch("in", 8, "table", "input", "address", 0, "type", "uint16", "writeMultiple", true),
                ch("lvl", 9, "address", 30, "type", "float32", "deadband", -1),
                ch("ok", 10, "address", 40, "type", "float32", "deadband", 0.01, "writeMultiple", true),
                ch("okstr", 11, "address", 50, "type", "string", "length", 8, "order", "BADC"));
        assertThat(factory.validate(spec)).extracting(ConfigProblem::location, p -> key(p.message()))
                .containsExactlyInAnyOrder(
                        tuple("farm.yaml:5", "a string takes order ABCD (first character in the high byte) or BADC "
                                + "(in the low byte)"),
                        tuple("farm.yaml:6", "'scale' does not apply to a string"),
                        tuple("farm.yaml:7", "'deadband' needs a number type"),
                        tuple("farm.yaml:8", "'writeMultiple' does not apply to a read-only input"),
                        tuple("farm.yaml:9", "'deadband' must not be negative"));
    }
}
