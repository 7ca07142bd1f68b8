package io.hazwatch.drivers.serial;

import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static io.hazwatch.drivers.serial.SerialTestSupport.PHZDSP;
import static io.hazwatch.drivers.serial.SerialTestSupport.ch;
import static io.hazwatch.drivers.serial.SerialTestSupport.device;
import static io.hazwatch.drivers.serial.SerialTestSupport.props;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SerialConfigValidationTest {

    private final SerialLineDriverFactory factory = new SerialLineDriverFactory();

    @Test
    void the_factory_is_found_by_service_loader_under_serial_line() {
        assertThat(DriverFactory.installed()).extracting(DriverFactory::type).contains("serial-line");
    }

    @Test
    void a_complete_gnss_device_is_accepted_with_its_defaults() throws DriverConfigException {
        DeviceSpec spec = device(props("device", "/dev/ttyUSB0", "checksum", "nmea", "pattern", PHZDSP),
                SerialTestSupport.gnssChannels("GN01").toArray(new io.hazwatch.drivers.spi.ChannelSpec[0]));

        SerialLineDeviceConfig config = factory.parse(spec);

        assertThat(config.port()).isEqualTo(SerialPortSettings.of("/dev/ttyUSB0", 9600));
        assertThat(config.framing()).isEqualTo(Framing.lines());
        assertThat(config.checksum()).isEqualTo(Checksum.NMEA);
        assertThat(config.mode()).isEqualTo(SerialLineDeviceConfig.Mode.UNSOLICITED);
        assertThat(config.maxAgeMs()).isEqualTo(10_000);
        assertThat(config.channels()).extracting(LineChannel::name)
                .containsExactly("GN01.dN", "GN01.dE", "GN01.dU", "GN01.quality");
        assertThat(config.channels().get(3).type()).isEqualTo(LineValueType.LONG);
    }

    @Test
    void a_channel_naming_a_group_the_pattern_lacks_is_refused_with_the_point_and_the_groups_it_has() {
        DeviceSpec spec = device(props("device", "/dev/ttyUSB0", "pattern", PHZDSP),
                ch("GN01.dN", "group", "dN"), ch("GN01.north", "group", "north"));

        assertThat(factory.validate(spec)).extracting(ConfigProblem::location, ConfigProblem::message)
                .containsExactly(tuple("site.yaml:GN01.north", "channel 'GN01.north': the device's pattern has no group"
                        + " 'north' (its groups: station, dN, dE, dU, quality)"));
    }

    @Test
    void an_unknown_checksum_is_refused_with_the_allowed_ones() {
        DeviceSpec spec = device(props("device", "/dev/ttyUSB0", "checksum", "crc32"), ch("total", "field", 1));

        assertThat(factory.validate(spec)).extracting(ConfigProblem::message).containsExactly(
                "device 'gnss': unknown checksum 'crc32' (expected one of none, nmea, crc16-modbus, sum8)");
    }

    @Test
    void every_problem_of_a_device_is_listed_at_once_and_create_refuses_it() {
        DeviceSpec spec = device(props("baud", "fast", "mode", "request", "pattern", "(?<open", "stopbits", 2),
                ch("a", "group", "x"),
                ch("b", "field", 1, "column", 3),
                ch("c"),
                ch("d", "field", -1),
                ch("e", "field", 2, "type", "string", "scale", 10),
                ch("f", "column", 5),
                ch("g", "group", "v", "pattern", "^V=(?<value>\\d+)$"),
                ch("a", "field", 0));

        List<String> messages = factory.validate(spec).stream().map(ConfigProblem::toString).toList();

        assertThat(messages).containsExactly(
                "site.yaml:gnss: device 'gnss': unknown property 'stopbits' (did you mean 'stopBits'?)",
                "site.yaml:gnss: device 'gnss': property 'device' is required (the serial port, e.g. /dev/ttyUSB0)",
                "site.yaml:gnss: device 'gnss': property 'baud' must be an integer, got 'fast'",
                "site.yaml:gnss: device 'gnss': property 'pattern' is not a valid regular expression: named capturing"
                        + " group is missing trailing '>' near index 7 of '(?<open'",
                "site.yaml:gnss: device 'gnss': mode 'request' needs a property 'request' (the query written before"
                        + " each read)",
                "site.yaml:b: channel 'b': give only one of 'group', 'field' and 'column', got field and column",
                "site.yaml:c: channel 'c': say where the value is: 'group' (a named group of 'pattern'), 'field' (an"
                        + " index after splitting at 'delimiter') or 'column' with 'width' (fixed columns)",
                "site.yaml:d: channel 'd': property 'field' must be 0..1000, got -1",
                "site.yaml:e: channel 'e': properties 'scale' and 'offset' apply only to double and long, not string",
                "site.yaml:f: channel 'f': property 'width' is required",
                "site.yaml:g: channel 'g': the channel's pattern has no group 'v' (its groups: value)",
                "site.yaml:a: channel 'a': duplicate name (first defined at site.yaml:a)");
        assertThatThrownBy(() -> factory.create(spec, Clock.systemUTC())).isInstanceOf(DriverConfigException.class)
                .hasMessageContaining("unknown property 'stopbits'");
    }

    @Test
    void delimiters_and_requests_understand_escapes_and_request_mode_needs_no_max_age() throws DriverConfigException {
        DeviceSpec spec = device(props("device", "/tmp/rain", "mode", "request", "request", "R?\\r\\n",
                        "start", "\\x02", "end", "\\x03", "checksum", "crc16-modbus", "checksumSeparator", "|"),
                ch("total", "field", 1, "type", "long", "scale", 0.1));

        SerialLineDeviceConfig config = factory.parse(spec);

        assertThat(config.request()).contains("R?\r\n");
        assertThat(config.framing()).isEqualTo(new Framing("\u0002", "\u0003", 256));
        assertThat(config.checksumSeparator()).isEqualTo("|");
    }

    @Test
    void a_request_in_unsolicited_mode_and_a_malformed_escape_are_refused() {
        DeviceSpec spec = device(props("device", "/tmp/rain", "request", "R?", "end", "\\q"),
                ch("total", "field", 1));

        assertThat(factory.validate(spec)).extracting(ConfigProblem::message).containsExactly(
                "device 'gnss': property 'end': malformed escape in '\\q' (use \\r \\n \\t \\0 \\\\ \\xHH)",
                "device 'gnss': property 'request' applies only with mode: request");
    }
}
