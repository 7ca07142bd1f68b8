package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusChannel;
import io.hazwatch.drivers.modbus.ModbusDataType;
import io.hazwatch.drivers.modbus.ModbusTable;
import io.hazwatch.drivers.modbus.RegisterOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round trips through a register encoder written here, independently of the decoder; round trips
 * through the driver's own {@link ValueEncoder} (what a write puts into a channel reads back the
 * same); and the promise that any register content decodes to a value of the documented Java type.
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
        } else if (type == ModbusDataType.STRING) {
            assertThat(decoded).isInstanceOf(String.class);
        } else if (type.isFloat()) {
            assertThat(decoded).isInstanceOf(Double.class);
        } else {
            assertThat(decoded).isInstanceOf(Long.class);
        }
    }

    private static ModbusChannel writable(ModbusDataType type, RegisterOrder order, int length) {
        return new ModbusChannel("w", "w.yaml", ModbusTable.HOLDING, 100, type, order, OptionalInt.empty(), 1, 0, false,
                length, 0, false);
    }

    /** The registers the encoder would write for {@code value}, whichever function it picked. */
    private static int[] written(ModbusChannel channel, Object value) {
        ValueEncoder.Encoded encoded = ValueEncoder.encode(channel, value);
        assertThat(encoded).isInstanceOf(ValueEncoder.Command.class);
        WriteCommand command = ((ValueEncoder.Command) encoded).command();
        assertThat(command.address()).isEqualTo(100);
        if (command instanceof WriteCommand.SingleRegister single) {
            return new int[]{single.value()};
        }
        return ((WriteCommand.MultipleRegisters) command).values();
    }

    @Property
    @Label("what the encoder writes for any int32, uint32 or float64 reads back equal in every order")
    void encoder_round_trips_wide_numbers(@ForAll int i, @ForAll double d, @ForAll RegisterOrder order) {
        ModbusChannel int32 = writable(ModbusDataType.INT32, order, 2);
        assertThat(ValueDecoder.decode(int32, written(int32, (long) i), 0)).isEqualTo((long) i);
        ModbusChannel uint32 = writable(ModbusDataType.UINT32, order, 2);
        long u = Integer.toUnsignedLong(i);
        assertThat(ValueDecoder.decode(uint32, written(uint32, u), 0)).isEqualTo(u);
        ModbusChannel float64 = writable(ModbusDataType.FLOAT64, order, 4);
        Object back = ValueDecoder.decode(float64, written(float64, d), 0);
        if (Double.isNaN(d)) {
            assertThat((Double) back).isNaN();
        } else {
            assertThat(back).isEqualTo(d);
        }
    }

    @Property
    @Label("what the encoder writes for any int16 or float32 reads back equal in every order")
    void encoder_round_trips_narrow_numbers(@ForAll short s, @ForAll float f, @ForAll RegisterOrder order) {
        ModbusChannel int16 = writable(ModbusDataType.INT16, order, 1);
        assertThat(ValueDecoder.decode(int16, written(int16, (long) s), 0)).isEqualTo((long) s);
        ModbusChannel float32 = writable(ModbusDataType.FLOAT32, order, 2);
        Object back = ValueDecoder.decode(float32, written(float32, (double) f), 0);
        if (Float.isNaN(f)) {
            assertThat((Double) back).isNaN();
        } else {
            assertThat(back).isEqualTo((double) f);
        }
    }

    @Property
    @Label("any printable ASCII text that fits reads back equal in either byte order")
    void encoder_round_trips_strings(@ForAll @StringLength(max = 16) @CharRange(from = '!', to = '~') String text,
                                     @ForAll boolean swapped) {
        ModbusChannel channel = writable(ModbusDataType.STRING, swapped ? RegisterOrder.BADC : RegisterOrder.ABCD, 8);
        assertThat(ValueDecoder.decode(channel, written(channel, text), 0)).isEqualTo(text);
    }
}
