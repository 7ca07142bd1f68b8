package io.hazwatch.drivers.plc4x;

import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class Plc4xConfigValidationTest {

    private final Plc4xDriverFactory factory = new Plc4xDriverFactory();

    static ChannelSpec ch(String name, Object... keyValues) {
        Map<String, Object> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new ChannelSpec(name, props, "plant.yaml:" + name);
    }

    static DeviceSpec device(Map<String, Object> props, ChannelSpec... channels) {
        return new DeviceSpec("plc", "plc4x", props, Arrays.asList(channels), "plant.yaml:plc");
    }

    @Test
    void the_factory_is_found_by_service_loader_under_plc4x() {
        assertThat(DriverFactory.installed()).extracting(DriverFactory::type).contains("plc4x");
    }

    @Test
    void a_modbus_connection_with_valid_tags_is_accepted() throws DriverConfigException {
        Plc4xDeviceConfig config = factory.parse(device(Map.of("connection",
                        "modbus-tcp://10.0.0.5:502?default-unit-identifier=2&request-timeout=1500"),
                ch("level", "tag", "holding-register:1:REAL"), ch("status", "tag", "holding-register:11:WORD"),
                ch("temp", "tag", "holding-register:5:INT", "scale", 0.1)));

        assertThat(config.protocol()).isEqualTo("modbus-tcp");
        assertThat(config.safeConnection()).isEqualTo("modbus-tcp://10.0.0.5:502");
        assertThat(config.timeoutMs()).isEqualTo(2_000);
        assertThat(config.channels()).extracting(Plc4xChannel::tag)
                .containsExactly("holding-register:1:REAL", "holding-register:11:WORD", "holding-register:5:INT");
    }

    @Test
    void an_unknown_protocol_lists_the_installed_ones() {
        assertThat(factory.validate(device(Map.of("connection", "s7://10.0.0.9"), ch("x", "tag", "%DB1.DBD0:REAL"))))
                .extracting(ConfigProblem::message).singleElement().asString()
                .startsWith("device 'plc': no PLC4X driver for connection 's7://10.0.0.9' (")
                .endsWith("installed protocols: modbus-ascii, modbus-rtu, modbus-tcp)");
    }

    @Test
    void a_tag_the_plc4x_driver_cannot_parse_is_refused_with_the_point_named() {
        assertThat(factory.validate(device(Map.of("connection", "modbus-tcp://127.0.0.1:5020"),
                ch("level", "tag", "holding-register:1:REAL"), ch("bad", "tag", "holding-register:0:REAL"),
                ch("typo", "tag", "holdingregister:1"), ch("array", "tag", "holding-register:1:REAL[2]"))))
                .extracting(ConfigProblem::location, ConfigProblem::message)
                .satisfiesExactly(
                        p -> assertThat(p.toList()).containsExactly("plant.yaml:bad",
                                "channel 'bad': tag 'holding-register:0:REAL' is not a valid modbus-tcp tag: address"
                                        + " must be greater than zero. Was 0"),
                        p -> assertThat(p.toList().get(1).toString()).startsWith(
                                "channel 'typo': tag 'holdingregister:1' is not a valid modbus-tcp tag"),
                        p -> assertThat(p.toList()).containsExactly("plant.yaml:array",
                                "channel 'array': tag 'holding-register:1:REAL[2]' reads an array; a channel takes one"
                                        + " value (one channel per element)"));
    }

    @Test
    void a_parameter_plc4x_would_ignore_silently_is_refused_with_what_was_meant() {
        assertThat(factory.validate(device(Map.of("connection", "modbus-tcp://127.0.0.1:5020?unit-identifier=5"),
                ch("level", "tag", "holding-register:1:REAL")))).extracting(ConfigProblem::message).containsExactly(
                "device 'plc': connection parameter 'unit-identifier' is not a PLC4X parameter and PLC4X ignores it"
                        + " silently (did you mean 'default-unit-identifier'?)");
    }

    @Test
    void a_missing_connection_a_missing_tag_and_a_typo_are_all_reported() {
        assertThat(factory.validate(device(Map.of("timeoutMS", 100), ch("x"), ch("y", "tag", "coil:1", "scal", 2))))
                .extracting(ConfigProblem::toString).containsExactly(
                        "plant.yaml:plc: device 'plc': unknown property 'timeoutMS' (did you mean 'timeoutMs'?)",
                        "plant.yaml:plc: device 'plc': property 'connection' is required (a PLC4X connection string,"
                                + " e.g. modbus-tcp://10.0.0.5:502?default-unit-identifier=1)",
                        "plant.yaml:x: channel 'x': property 'tag' is required (a PLC4X tag address, e.g."
                                + " holding-register:1:REAL)",
                        "plant.yaml:y: channel 'y': unknown property 'scal' (known: offset, scale, tag)");
    }
}
