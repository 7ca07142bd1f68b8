package io.hazwatch.drivers.opcua.internal;

import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ulong;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

/** OPC UA Part 4, 7.34 (StatusCode) and Part 8, 6.3.2 (DataItem status) onto the driver SPI's qualities. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SampleMapperTest {

    private static final Instant SOURCE = Instant.parse("2026-03-01T08:00:00.250Z");
    private static final Instant SERVER = Instant.parse("2026-03-01T08:00:01Z");
    private static final long RECEIVED = Instant.parse("2026-03-01T08:00:02Z").toEpochMilli();

    private static DataValue dv(Object value, long status) {
        return new DataValue(new Variant(value), new StatusCode(status), new DateTime(SOURCE), new DateTime(SERVER));
    }

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of("Good", 0L, Quality.GOOD),
                Arguments.of("Good_LocalOverride", StatusCodes.Good_LocalOverride, Quality.GOOD),
                Arguments.of("Uncertain_LastUsableValue", StatusCodes.Uncertain_LastUsableValue, Quality.UNCERTAIN),
                Arguments.of("Uncertain_SensorNotAccurate", StatusCodes.Uncertain_SensorNotAccurate, Quality.UNCERTAIN),
                Arguments.of("Bad_NodeIdUnknown", StatusCodes.Bad_NodeIdUnknown, Quality.BAD_CONFIG),
                Arguments.of("Bad_UserAccessDenied", StatusCodes.Bad_UserAccessDenied, Quality.BAD_CONFIG),
                Arguments.of("Bad_MonitoredItemFilterUnsupported", StatusCodes.Bad_MonitoredItemFilterUnsupported,
                        Quality.BAD_CONFIG),
                Arguments.of("Bad_SensorFailure", StatusCodes.Bad_SensorFailure, Quality.BAD_SENSOR_FAULT),
                Arguments.of("Bad_DeviceFailure", StatusCodes.Bad_DeviceFailure, Quality.BAD_SENSOR_FAULT),
                Arguments.of("Bad_OutOfService", StatusCodes.Bad_OutOfService, Quality.BAD_SENSOR_FAULT),
                Arguments.of("Bad_NoCommunication", StatusCodes.Bad_NoCommunication, Quality.BAD_COMM_FAIL),
                Arguments.of("Bad_WaitingForInitialData", StatusCodes.Bad_WaitingForInitialData, Quality.BAD_COMM_FAIL),
                Arguments.of("Bad_Timeout", StatusCodes.Bad_Timeout, Quality.BAD_TIMEOUT),
                Arguments.of("Bad_OutOfRange", StatusCodes.Bad_OutOfRange, Quality.BAD_OUT_OF_RANGE),
                Arguments.of("Bad_InternalError", StatusCodes.Bad_InternalError, Quality.BAD_DEVICE_EXCEPTION),
                Arguments.of("Bad", StatusCode.BAD.getValue(), Quality.BAD_DEVICE_EXCEPTION));
    }

    @ParameterizedTest(name = "{0} is {2}")
    @MethodSource("statuses")
    void status_codes_map_to_the_quality_of_their_kind(String name, long code, Quality quality) {
        assertThat(SampleMapper.quality(code)).isEqualTo(quality);
        assertThat(StatusNames.name(code)).isEqualTo(name);
    }

    @Test
    void a_good_value_keeps_the_source_timestamp_not_the_server_or_receive_time() {
        Sample s = SampleMapper.sample("level", dv(12.5, StatusCodes.Good_LocalOverride), RECEIVED);

        assertThat(s).isEqualTo(Sample.good("level", SOURCE.toEpochMilli(), 12.5));
    }

    @Test
    void without_a_source_timestamp_the_server_timestamp_then_the_receive_time_is_used() {
        DataValue serverOnly = new DataValue(new Variant(1.0), StatusCode.GOOD, null, new DateTime(SERVER));
        DataValue none = new DataValue(new Variant(1.0), StatusCode.GOOD, null, null);

        assertThat(SampleMapper.sample("a", serverOnly, RECEIVED).timestampMillis()).isEqualTo(SERVER.toEpochMilli());
        assertThat(SampleMapper.sample("a", none, RECEIVED).timestampMillis()).isEqualTo(RECEIVED);
    }

    @Test
    void an_uncertain_value_keeps_its_value_and_names_the_status() {
        Sample s = SampleMapper.sample("level", dv(7.5, StatusCodes.Uncertain_LastUsableValue), RECEIVED);

        assertThat(s.quality()).isEqualTo(Quality.UNCERTAIN);
        assertThat(s.value()).isEqualTo(7.5);
        assertThat(s.reason()).isEqualTo("Uncertain_LastUsableValue (0x40900000)");
    }

    @Test
    void a_bad_value_has_no_value_and_the_status_name_as_reason() {
        Sample s = SampleMapper.sample("gas", dv(0.0, StatusCodes.Bad_SensorFailure), RECEIVED);

        assertThat(s).isEqualTo(Sample.bad("gas", SOURCE.toEpochMilli(), Quality.BAD_SENSOR_FAULT,
                "Bad_SensorFailure (0x808C0000)"));
    }

    @Test
    void numbers_become_doubles_or_longs_and_text_stays_text() {
        assertThat(SampleMapper.sample("a", dv(2.5f, 0), RECEIVED).value()).isEqualTo(2.5);
        assertThat(SampleMapper.sample("a", dv((short) -3, 0), RECEIVED).value()).isEqualTo(-3L);
        assertThat(SampleMapper.sample("a", dv(uint(4_000_000_000L), 0), RECEIVED).value()).isEqualTo(4_000_000_000L);
        assertThat(SampleMapper.sample("a", dv(ushort(7), 0), RECEIVED).value()).isEqualTo(7L);
        assertThat(SampleMapper.sample("a", dv(true, 0), RECEIVED).value()).isEqualTo(true);
        assertThat(SampleMapper.sample("a", dv("LT-1001", 0), RECEIVED).value()).isEqualTo("LT-1001");
        assertThat(SampleMapper.sample("a", dv(LocalizedText.english("running"), 0), RECEIVED).value())
                .isEqualTo("running");
        assertThat(SampleMapper.sample("a", dv(new DateTime(SOURCE), 0), RECEIVED).value())
                .isEqualTo("2026-03-01T08:00:00.250Z");
    }

    @Test
    void values_a_sample_cannot_hold_are_bad_with_a_reason() {
        Sample tooBig = SampleMapper.sample("a", dv(ulong(Long.MAX_VALUE).add(ulong(1)), 0), RECEIVED);
        Sample array = SampleMapper.sample("a", dv(new Double[]{1.0, 2.0}, 0), RECEIVED);
        Sample nan = SampleMapper.sample("a", dv(Double.NaN, 0), RECEIVED);
        Sample empty = SampleMapper.sample("a", new DataValue(Variant.NULL_VALUE, StatusCode.GOOD, null, null), RECEIVED);

        assertThat(tooBig.quality()).isEqualTo(Quality.BAD_OUT_OF_RANGE);
        assertThat(array.quality()).isEqualTo(Quality.BAD_CONFIG);
        assertThat(array.reason()).contains("arrays are not supported");
        assertThat(nan.quality()).isEqualTo(Quality.BAD_OUT_OF_RANGE);
        assertThat(empty.quality()).isEqualTo(Quality.BAD_DEVICE_EXCEPTION);
        assertThat(empty.reason()).contains("no value");
    }
}
