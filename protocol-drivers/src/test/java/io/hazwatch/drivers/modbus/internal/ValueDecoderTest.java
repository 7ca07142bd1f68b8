package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusChannel;
import io.hazwatch.drivers.modbus.ModbusDataType;
import io.hazwatch.drivers.modbus.ModbusTable;
import io.hazwatch.drivers.modbus.RegisterOrder;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.OptionalInt;

import static io.hazwatch.drivers.modbus.ModbusDataType.*;
import static io.hazwatch.drivers.modbus.RegisterOrder.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Known vectors for every type and order; DOMAIN.md 6.2 gives the float32 ones. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ValueDecoderTest {

    static ModbusChannel channel(ModbusDataType type, RegisterOrder order) {
        return new ModbusChannel("c", "test", ModbusTable.HOLDING, 0, type, order, OptionalInt.empty(), 1, 0, false);
    }

    static ModbusChannel scaled(ModbusDataType type, RegisterOrder order, double scale, double offset) {
        return new ModbusChannel("c", "test", ModbusTable.HOLDING, 0, type, order, OptionalInt.empty(), scale, offset,
                true);
    }

    static ModbusChannel bit(ModbusDataType type, RegisterOrder order, int bit) {
        return new ModbusChannel("c", "test", ModbusTable.HOLDING, 0, type, order, OptionalInt.of(bit), 1, 0, false);
    }

    static Object decode(ModbusChannel channel, int... registers) {
        return ValueDecoder.decode(channel, registers, 0);
    }

    @Nested
    class Float32 {
        @Test
        void abcd_reads_the_high_word_first() {
            assertThat(decode(channel(FLOAT32, ABCD), 0x41A0, 0x0000)).isEqualTo(20.0);
        }

        @Test
        void cdab_reads_the_low_word_first() {
            assertThat(decode(channel(FLOAT32, CDAB), 0x0000, 0x41A0)).isEqualTo(20.0);
        }

        @Test
        void badc_swaps_the_bytes_inside_each_register() {
            assertThat(decode(channel(FLOAT32, BADC), 0xA041, 0x0000)).isEqualTo(20.0);
        }

        @Test
        void dcba_is_fully_little_endian() {
            assertThat(decode(channel(FLOAT32, DCBA), 0x0000, 0xA041)).isEqualTo(20.0);
        }

        @Test
        void the_four_orders_of_one_value_with_four_distinct_bytes_all_decode_to_it() {
            // 1.1f = 0x3F8CCCCD
            double expected = (double) 1.1f;
            assertThat(decode(channel(FLOAT32, ABCD), 0x3F8C, 0xCCCD)).isEqualTo(expected);
            assertThat(decode(channel(FLOAT32, CDAB), 0xCCCD, 0x3F8C)).isEqualTo(expected);
            assertThat(decode(channel(FLOAT32, BADC), 0x8C3F, 0xCDCC)).isEqualTo(expected);
            assertThat(decode(channel(FLOAT32, DCBA), 0xCDCC, 0x8C3F)).isEqualTo(expected);
        }

        @Test
        void negative_and_special_values_decode_as_ieee_754() {
            assertThat(decode(channel(FLOAT32, ABCD), 0xBFC0, 0x0000)).isEqualTo(-1.5);
            assertThat(decode(channel(FLOAT32, ABCD), 0x0000, 0x0000)).isEqualTo(0.0);
            assertThat((Double) decode(channel(FLOAT32, ABCD), 0x7FC0, 0x0000)).isNaN();
            assertThat(decode(channel(FLOAT32, ABCD), 0xFF80, 0x0000)).isEqualTo(Double.NEGATIVE_INFINITY);
        }

        @Test
        void scale_and_offset_apply_to_floats() {
            assertThat((Double) decode(scaled(FLOAT32, ABCD, 1000, -5), 0x41A0, 0x0000))
                    .isCloseTo(19_995.0, within(1e-9));
        }
    }

    @Nested
    class Float64 {
        // 20.0 = 0x4034000000000000, 1.1 = 0x3FF199999999999A
        @Test
        void abcd_reads_four_registers_high_word_first() {
            assertThat(decode(channel(FLOAT64, ABCD), 0x4034, 0, 0, 0)).isEqualTo(20.0);
            assertThat(decode(channel(FLOAT64, ABCD), 0x3FF1, 0x9999, 0x9999, 0x999A)).isEqualTo(1.1);
        }

        @Test
        void cdab_reverses_all_four_registers() {
            assertThat(decode(channel(FLOAT64, CDAB), 0, 0, 0, 0x4034)).isEqualTo(20.0);
            assertThat(decode(channel(FLOAT64, CDAB), 0x999A, 0x9999, 0x9999, 0x3FF1)).isEqualTo(1.1);
        }

        @Test
        void badc_swaps_bytes_inside_each_register() {
            assertThat(decode(channel(FLOAT64, BADC), 0x3440, 0, 0, 0)).isEqualTo(20.0);
            assertThat(decode(channel(FLOAT64, BADC), 0xF13F, 0x9999, 0x9999, 0x9A99)).isEqualTo(1.1);
        }

        @Test
        void dcba_is_fully_little_endian() {
            assertThat(decode(channel(FLOAT64, DCBA), 0, 0, 0, 0x3440)).isEqualTo(20.0);
            assertThat(decode(channel(FLOAT64, DCBA), 0x9A99, 0x9999, 0x9999, 0xF13F)).isEqualTo(1.1);
        }
    }

    @Nested
    class Int16AndUint16 {
        @Test
        void int16_is_signed_and_yields_a_long_without_scaling() {
            assertThat(decode(channel(INT16, ABCD), 0xFF85)).isEqualTo(-123L);
            assertThat(decode(channel(INT16, ABCD), 0x7FFF)).isEqualTo(32767L);
            assertThat(decode(channel(INT16, ABCD), 0x8000)).isEqualTo(-32768L);
        }

        @Test
        void uint16_is_unsigned() {
            assertThat(decode(channel(UINT16, ABCD), 0xFF85)).isEqualTo(65413L);
            assertThat(decode(channel(UINT16, ABCD), 0xFFFF)).isEqualTo(65535L);
        }

        @ParameterizedTest(name = "{0} reads the register as it is")
        @EnumSource(names = {"ABCD", "CDAB"})
        void orders_without_a_byte_swap_read_the_register_as_it_is(RegisterOrder order) {
            assertThat(decode(channel(INT16, order), 0xFF85)).isEqualTo(-123L);
        }

        @ParameterizedTest(name = "{0} swaps the two bytes")
        @EnumSource(names = {"BADC", "DCBA"})
        void byte_swapped_orders_swap_the_two_bytes(RegisterOrder order) {
            assertThat(decode(channel(INT16, order), 0x85FF)).isEqualTo(-123L);
            assertThat(decode(channel(UINT16, order), 0x3412)).isEqualTo(0x1234L);
        }

        @Test
        void scaling_turns_the_value_into_a_double() {
            assertThat((Double) decode(scaled(INT16, ABCD, 0.1, 0), 0x00FB)).isCloseTo(25.1, within(1e-12));
            assertThat((Double) decode(scaled(INT16, ABCD, 0.1, 0), 0xFF85)).isCloseTo(-12.3, within(1e-12));
            assertThat((Double) decode(scaled(UINT16, ABCD, 0.5, -40), 100)).isCloseTo(10.0, within(1e-12));
        }

        @Test
        void an_offset_alone_also_yields_a_double() {
            assertThat(decode(scaled(UINT16, ABCD, 1, 0), 7)).isEqualTo(7.0);
        }
    }

    @Nested
    class Int32AndUint32 {
        @ParameterizedTest(name = "{0}: {1} {2} = {3}")
        @CsvSource({
                "ABCD, 0x0001, 0x0002, 65538",
                "CDAB, 0x0002, 0x0001, 65538",
                "BADC, 0x0100, 0x0200, 65538",
                "DCBA, 0x0200, 0x0100, 65538",
                "ABCD, 0xFFFF, 0xFFFE, -2",
                "CDAB, 0xFFFE, 0xFFFF, -2",
                "ABCD, 0x8000, 0x0000, -2147483648",
                "ABCD, 0x1234, 0x5678, 305419896",
                "CDAB, 0x5678, 0x1234, 305419896",
                "BADC, 0x3412, 0x7856, 305419896",
                "DCBA, 0x7856, 0x3412, 305419896"
        })
        void int32_vectors(RegisterOrder order, String first, String second, long expected) {
            assertThat(decode(channel(INT32, order), Integer.decode(first), Integer.decode(second))).isEqualTo(expected);
        }

        @Test
        void uint32_does_not_go_negative() {
            assertThat(decode(channel(UINT32, ABCD), 0xFFFF, 0xFFFE)).isEqualTo(4_294_967_294L);
            assertThat(decode(channel(UINT32, CDAB), 0xFFFE, 0xFFFF)).isEqualTo(4_294_967_294L);
            assertThat(decode(channel(UINT32, ABCD), 0x8000, 0x0000)).isEqualTo(2_147_483_648L);
        }

        @ParameterizedTest(name = "uint32 {0}: {1} {2} = 4023233417")
        @CsvSource({
                "ABCD, 0xEFCD, 0xAB89",
                "CDAB, 0xAB89, 0xEFCD",
                "BADC, 0xCDEF, 0x89AB",
                "DCBA, 0x89AB, 0xCDEF"
        })
        void uint32_reads_0xEFCDAB89_in_every_order(RegisterOrder order, String first, String second) {
            assertThat(decode(channel(UINT32, order), Integer.decode(first), Integer.decode(second)))
                    .isEqualTo(0xEFCD_AB89L);
        }

        @Test
        void scaled_uint32_counters_yield_doubles() {
            assertThat((Double) decode(scaled(UINT32, ABCD, 0.01, 0), 0x0001, 0x0000)).isCloseTo(655.36, within(1e-9));
        }
    }

    @Nested
    class Strings {
        private ModbusChannel text(RegisterOrder order, int length) {
            return new ModbusChannel("tag", "test", ModbusTable.HOLDING, 0, ModbusDataType.STRING, order,
                    OptionalInt.empty(), 1, 0, false, length, 0, false);
        }

        @Test
        void two_characters_per_register_first_in_the_high_byte() {
            assertThat(decode(text(ABCD, 4), 0x4841, 0x5A57, 0x4154, 0x4348)).isEqualTo("HAZWATCH");
        }

        @Test
        void badc_puts_the_first_character_in_the_low_byte() {
            assertThat(decode(text(BADC, 4), 0x4148, 0x575A, 0x5441, 0x4843)).isEqualTo("HAZWATCH");
        }

        @Test
        void the_text_ends_at_the_first_nul_and_trailing_spaces_are_dropped() {
            assertThat(decode(text(ABCD, 4), 0x5431, 0x0000, 0x4142, 0x4344)).isEqualTo("T1");
            assertThat(decode(text(ABCD, 3), 0x5431, 0x2020, 0x2020)).isEqualTo("T1");
            assertThat(decode(text(ABCD, 2), 0x5400, 0x4142)).as("NUL in the low byte").isEqualTo("T");
        }

        @Test
        void bytes_outside_printable_ascii_read_as_question_marks() {
            assertThat(decode(text(ABCD, 2), 0x41FF, 0x0142)).isEqualTo("A??B");
        }
    }

    @Nested
    class Bits {
        @Test
        void bit_extracts_one_bit_of_a_status_word_as_a_boolean() {
            // gas status with AL1 (bit 6) and AL2 (bit 7)
            assertThat(decode(bit(UINT16, ABCD, 6), 0x00C0)).isEqualTo(true);
            assertThat(decode(bit(UINT16, ABCD, 7), 0x00C0)).isEqualTo(true);
            assertThat(decode(bit(UINT16, ABCD, 5), 0x00C0)).isEqualTo(false);
            assertThat(decode(bit(INT16, ABCD, 15), 0x8000)).isEqualTo(true);
            assertThat(decode(bit(UINT16, ABCD, 11), 0x0800)).isEqualTo(true);
        }

        @Test
        void bool_on_a_register_reads_bit_0_unless_told_otherwise() {
            assertThat(decode(channel(BOOL, ABCD), 0x0001)).isEqualTo(true);
            assertThat(decode(channel(BOOL, ABCD), 0x0002)).isEqualTo(false);
            assertThat(decode(bit(BOOL, ABCD, 1), 0x0002)).isEqualTo(true);
        }

        @Test
        void bits_are_numbered_after_the_byte_swap() {
            assertThat(decode(bit(UINT16, BADC, 6), 0xC000)).isEqualTo(true);
            assertThat(decode(bit(UINT16, BADC, 14), 0xC000)).isEqualTo(false);
        }
    }

    @Test
    void a_channel_decodes_from_its_offset_inside_a_larger_response() {
        int[] response = {0xFFFF, 0x41A0, 0x0000, 0xFFFF};
        assertThat(ValueDecoder.decode(channel(FLOAT32, ABCD), response, 1)).isEqualTo(20.0);
    }

    @Test
    void too_few_registers_is_a_programming_error_not_a_value() {
        assertThatThrownBy(() -> ValueDecoder.decode(channel(FLOAT64, ABCD), new int[] {1, 2, 3}, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 4 registers");
    }
}
