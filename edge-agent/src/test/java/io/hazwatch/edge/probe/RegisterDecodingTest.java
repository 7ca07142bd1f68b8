package io.hazwatch.edge.probe;

import io.hazwatch.edge.probe.RegisterDecoding.Order;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RegisterDecodingTest {

    @Test
    void twenty_as_float32_arrives_differently_in_each_order_and_each_order_reads_its_own_back() {
        // docs/drivers-modbus.md, "Byte and word order"
        assertThat(RegisterDecoding.float32(new int[]{0x41A0, 0x0000}, 0, Order.ABCD)).isEqualTo(20.0f);
        assertThat(RegisterDecoding.float32(new int[]{0x0000, 0x41A0}, 0, Order.CDAB)).isEqualTo(20.0f);
        assertThat(RegisterDecoding.float32(new int[]{0xA041, 0x0000}, 0, Order.BADC)).isEqualTo(20.0f);
        assertThat(RegisterDecoding.float32(new int[]{0x0000, 0xA041}, 0, Order.DCBA)).isEqualTo(20.0f);
    }

    @Test
    void the_ultrasonic_gauge_example_of_the_domain_notes_reads_9_875_metres() {
        // DOMAIN 6.1 [S15]: FC04, 2 registers, 41 1E 00 00 = 9.875 m (ABCD)
        assertThat(RegisterDecoding.float32(new int[]{0x411E, 0x0000}, 0, Order.ABCD)).isEqualTo(9.875f);
    }

    @Test
    void sixteen_bit_views_bits_and_characters() {
        assertThat(RegisterDecoding.int16(0xFFFF)).isEqualTo(-1);
        assertThat(RegisterDecoding.uint16(0xFFFF)).isEqualTo(65535);
        assertThat(RegisterDecoding.bits(0x05A1)).isEqualTo("0000 0101 1010 0001");
        assertThat(RegisterDecoding.ascii(0x4C54)).isEqualTo("LT");
        assertThat(RegisterDecoding.ascii(0x0041)).isEqualTo(".A");
    }

    @Test
    void thirty_two_bit_integers_signed_and_unsigned() {
        int[] r = {0xFFFF, 0xFFFE};
        assertThat(RegisterDecoding.int32(r, 0, Order.ABCD)).isEqualTo(-2);
        assertThat(RegisterDecoding.uint32(r, 0, Order.ABCD)).isEqualTo(4_294_967_294L);
        assertThat(RegisterDecoding.uint32(r, 0, Order.CDAB)).isEqualTo(0xFFFEFFFFL);
    }

    static Stream<Arguments> float64InEveryOrder() {
        double[] values = {0.0, -0.0, 1.0, -1.5, Math.PI, 1e-300, -1e300, Double.MIN_VALUE, Double.MAX_VALUE,
                Double.NaN, Double.POSITIVE_INFINITY, 123_456.789};
        return Arrays.stream(values).boxed()
                .flatMap(v -> Arrays.stream(Order.values()).map(o -> Arguments.of(v, o)));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("float64InEveryOrder")
    void a_float64_laid_out_in_an_order_reads_back_in_that_order(double value, Order order) {
        byte[] b = ByteBuffer.allocate(8).putDouble(value).array();
        int[] wire = new int[4];
        for (int i = 0; i < 4; i++) {
            int word = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
            if (order == Order.BADC || order == Order.DCBA) {
                word = ((word & 0xFF) << 8) | (word >>> 8);
            }
            int slot = order == Order.CDAB || order == Order.DCBA ? 3 - i : i;
            wire[slot] = word;
        }

        assertThat(Double.doubleToRawLongBits(RegisterDecoding.float64(wire, 0, order)))
                .isEqualTo(Double.doubleToRawLongBits(value));
    }
}
