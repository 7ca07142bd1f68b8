package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusDataType;
import io.hazwatch.drivers.modbus.RegisterOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round trips through a register encoder written here, independently of the decoder, and the promise
 * that any register content decodes to a value of the documented Java type.
 */
class ValueDecoderPropertiesTest {

    /** Lays big-endian value bytes onto registers the way a device with {@code order} does. */
    static int[] encode(byte[] bigEndian, RegisterOrder order) {
        int words = bigEndian.length / 2;
        int[] registers = new int[words];
        for (int w = 0; w < words; w++) {
            int source = order.swapsWords() ? words - 1 - w : w;
            int hi = bigEndian[2 * source] & 0xFF;
            int lo = bigEndian[2 * source + 1] & 0xFF;
            registers[w] = order.swapsBytes() ? (lo << 8) | hi : (hi << 8) | lo;
        }
        return registers;
    }

    @Property
    @Label("any float32 survives every register order")
    void float32_round_trips(@ForAll float value, @ForAll RegisterOrder order) {
        int[] regs = encode(ByteBuffer.allocate(4).putFloat(value).array(), order);
        Object decoded = ValueDecoder.decode(ValueDecoderTest.channel(ModbusDataType.FLOAT32, order), regs, 0);
        if (Float.isNaN(value)) {
            assertThat((Double) decoded).isNaN();
        } else {
            assertThat(decoded).isEqualTo((double) value);
        }
    }

    @Property
    @Label("any float64 survives every register order")
    void float64_round_trips(@ForAll double value, @ForAll RegisterOrder order) {
        int[] regs = encode(ByteBuffer.allocate(8).putDouble(value).array(), order);
        Object decoded = ValueDecoder.decode(ValueDecoderTest.channel(ModbusDataType.FLOAT64, order), regs, 0);
        if (Double.isNaN(value)) {
            assertThat((Double) decoded).isNaN();
        } else {
            assertThat(decoded).isEqualTo(value);
        }
    }

    @Property
    @Label("any int32 and its uint32 reading survive every register order")
    void int32_round_trips(@ForAll int value, @ForAll RegisterOrder order) {
        int[] regs = encode(ByteBuffer.allocate(4).putInt(value).array(), order);
        assertThat(ValueDecoder.decode(ValueDecoderTest.channel(ModbusDataType.INT32, order), regs, 0))
                .isEqualTo((long) value);
        assertThat(ValueDecoder.decode(ValueDecoderTest.channel(ModbusDataType.UINT32, order), regs, 0))
                .isEqualTo(Integer.toUnsignedLong(value));
    }

    @Property
    @Label("any int16 and its uint16 reading survive every register order")
    void int16_round_trips(@ForAll short value, @ForAll RegisterOrder order) {
        int[] regs = encode(ByteBuffer.allocate(2).putShort(value).array(), order);
        assertThat(ValueDecoder.decode(ValueDecoderTest.channel(ModbusDataType.INT16, order), regs, 0))
                .isEqualTo((long) value);
        assertThat(ValueDecoder.decode(ValueDecoderTest.channel(ModbusDataType.UINT16, order), regs, 0))
                .isEqualTo(Short.toUnsignedLong(value));
    }

    @Property
    @Label("any register content decodes to the documented Java type for every type and order")
    void any_registers_decode_to_the_documented_type(
            @ForAll @Size(4) List<@IntRange(min = 0, max = 0xFFFF) Integer> content,
            @ForAll ModbusDataType type, @ForAll RegisterOrder order) {
        int[] regs = content.stream().mapToInt(Integer::intValue).toArray();
        Object decoded = ValueDecoder.decode(ValueDecoderTest.channel(type, order), regs, 0);
        if (type == ModbusDataType.BOOL) {
            assertThat(decoded).isInstanceOf(Boolean.class);
        } else if (type.isFloat()) {
            assertThat(decoded).isInstanceOf(Double.class);
        } else {
            assertThat(decoded).isInstanceOf(Long.class);
        }
    }
}
