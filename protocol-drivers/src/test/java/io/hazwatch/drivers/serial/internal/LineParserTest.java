package io.hazwatch.drivers.serial.internal;

import io.hazwatch.drivers.serial.Checksum;
import io.hazwatch.drivers.serial.LineChannel;
import io.hazwatch.drivers.serial.SerialLineDriverFactory;
import io.hazwatch.drivers.serial.SerialTestSupport;
import io.hazwatch.drivers.serial.internal.LineParser.ChannelReading;
import io.hazwatch.drivers.serial.internal.LineParser.ParsedLine;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.Quality;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.hazwatch.drivers.serial.SerialTestSupport.PHZDSP;
import static io.hazwatch.drivers.serial.SerialTestSupport.ch;
import static io.hazwatch.drivers.serial.SerialTestSupport.device;
import static io.hazwatch.drivers.serial.SerialTestSupport.props;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LineParserTest {

    private static List<LineChannel> channels(Map<String, Object> deviceProps, ChannelSpec... specs)
            throws DriverConfigException {
        Map<String, Object> props = props("device", "/dev/null");
        props.putAll(deviceProps);
        return new SerialLineDriverFactory().parse(device(props, specs)).channels();
    }

    private static ParsedLine parse(Checksum checksum, List<LineChannel> channels, String frame) {
        return new LineParser(checksum, "*", channels).parse(frame);
    }

    @Test
    void named_groups_feed_the_channels_of_the_station_the_sentence_is_for() throws DriverConfigException {
        List<LineChannel> channels = channels(props("pattern", PHZDSP),
                SerialTestSupport.gnssChannels("GN01").toArray(new ChannelSpec[0]));
        String gn01 = Checksum.NMEA.append("$PHZDSP,GN01,12.3,-4.5,0.0,4", "*");
        String gn02 = Checksum.NMEA.append("$PHZDSP,GN02,1.0,1.0,1.0,4", "*");

        assertThat(parse(Checksum.NMEA, channels, gn01).readings()).containsOnly(
                entry(0, new ChannelReading.Value(12.3)), entry(1, new ChannelReading.Value(-4.5)),
                entry(2, new ChannelReading.Value(0.0)), entry(3, new ChannelReading.Value(4L)));
        assertThat(parse(Checksum.NMEA, channels, gn02).readings()).isEmpty();
    }

    @Test
    void a_sentence_the_pattern_does_not_fit_feeds_no_channel_without_a_match() throws DriverConfigException {
        List<LineChannel> channels = channels(props("pattern", PHZDSP), ch("dN", "group", "dN"));

        ParsedLine gga = parse(Checksum.NONE, channels, "$GNGGA,050000.00,3845.12345,N,11530.56789,E,4,18");

        assertThat(gga.readings()).isEmpty();
    }

    @Test
    void fields_split_at_the_delimiter_and_scale_makes_a_long_a_double() throws DriverConfigException {
        List<LineChannel> channels = channels(props("match", "^R,"),
                ch("rain", "field", 1, "type", "long", "scale", 0.1),
                ch("tips", "field", 2, "type", "long"),
                ch("missing", "field", 7));
        String line = Checksum.CRC16_MODBUS.append("R,01441,00720", "*");

        ParsedLine parsed = parse(Checksum.CRC16_MODBUS, channels, line);

        assertThat(parsed.readings().get(0)).isInstanceOfSatisfying(ChannelReading.Value.class,
                v -> assertThat((Double) v.value()).isCloseTo(144.1, org.assertj.core.api.Assertions.within(1e-9)));
        assertThat(parsed.readings().get(1)).isEqualTo(new ChannelReading.Value(720L));
        assertThat(parsed.readings().get(2)).isEqualTo(new ChannelReading.Bad(Quality.BAD_CONFIG,
                "no field 7: the line has 3 fields: 'R,01441,00720'"));
    }

    @Test
    void fixed_columns_bools_and_strings_are_read_as_typed() throws DriverConfigException {
        List<LineChannel> channels = channels(Map.of(),
                ch("id", "column", 0, "width", 4, "type", "string"),
                ch("level", "column", 4, "width", 6, "offset", 100),
                ch("alarm", "column", 10, "width", 1, "type", "bool"),
                ch("past-end", "column", 11, "width", 3));

        ParsedLine parsed = parse(Checksum.NONE, channels, "LT01 12.501");

        assertThat(parsed.readings()).containsOnly(
                entry(0, new ChannelReading.Value("LT01")),
                entry(1, new ChannelReading.Value(112.5)),
                entry(2, new ChannelReading.Value(true)),
                entry(3, new ChannelReading.Bad(Quality.BAD_CONFIG,
                        "columns 11..13 lie past the end of a 11-character line")));
    }

    @Test
    void a_checksum_failure_marks_exactly_the_channels_the_line_would_have_fed() throws DriverConfigException {
        List<LineChannel> channels = channels(props("pattern", PHZDSP),
                ch("GN01.dN", "group", "dN", "match", "^\\$PHZDSP,GN01,"),
                ch("GN02.dN", "group", "dN", "match", "^\\$PHZDSP,GN02,"));

        ParsedLine parsed = parse(Checksum.NMEA, channels, "$PHZDSP,GN01,12.3,-4.5,0.0,4*00");

        assertThat(parsed.verdict().usable()).isFalse();
        assertThat(parsed.readings()).containsOnlyKeys(0);
        ChannelReading.Bad bad = (ChannelReading.Bad) parsed.readings().get(0);
        assertThat(bad.quality()).isEqualTo(Quality.BAD_COMM_FAIL);
        assertThat(bad.reason()).startsWith("checksum BAD: line says 00, computed ");
    }

    @Test
    void empty_fields_text_where_a_number_belongs_and_overflow_have_their_own_reasons() throws DriverConfigException {
        List<LineChannel> channels = channels(Map.of(),
                ch("empty", "field", 0), ch("text", "field", 1), ch("huge", "field", 2, "type", "long"),
                ch("inf", "field", 3));

        ParsedLine parsed = parse(Checksum.NONE, channels, ",abc,99999999999999999999,1e999");

        assertThat(parsed.readings()).containsOnly(
                entry(0, new ChannelReading.Bad(Quality.BAD_SENSOR_FAULT, "empty field: the instrument sent no value")),
                entry(1, new ChannelReading.Bad(Quality.BAD_CONFIG, "'abc' is not a number")),
                entry(2, new ChannelReading.Bad(Quality.BAD_OUT_OF_RANGE, "'99999999999999999999' does not fit a long")),
                entry(3, new ChannelReading.Bad(Quality.BAD_OUT_OF_RANGE, "'1e999' gives Infinity")));
    }

    @Test
    void named_groups_are_found_in_the_regex_text_but_not_in_classes_escapes_or_lookbehinds() {
        assertThat(RegexGroups.namedGroups("(?<a>x)\\(?<b>y)[(?<c>]((?<=z)(?<d1>w))\\Q(?<e>\\E"))
                .containsExactly("a", "d1");
    }
}
