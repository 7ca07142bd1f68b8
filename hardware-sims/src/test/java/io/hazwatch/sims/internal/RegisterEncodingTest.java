package io.hazwatch.sims.internal;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RegisterEncodingTest {

    private static int[] unsigned(short[] registers) {
        int[] out = new int[registers.length];
        for (int i = 0; i < registers.length; i++) {
            out[i] = registers[i] & 0xFFFF;
        }
        return out;
    }

    @Test
    void float32_abcd_puts_the_high_word_first() {
        short[] regs = new short[2];
        RegisterEncoding.putFloat32Abcd(regs, 0, 20.0);
        assertThat(unsigned(regs)).containsExactly(0x41A0, 0x0000);
        RegisterEncoding.putFloat32Abcd(regs, 0, -1.5);
        assertThat(unsigned(regs)).containsExactly(0xBFC0, 0x0000);
        RegisterEncoding.putFloat32Abcd(regs, 0, 1.1);
        assertThat(unsigned(regs)).containsExactly(0x3F8C, 0xCCCD);
    }

    @Test
    void float32_cdab_puts_the_low_word_first() {
        short[] regs = new short[3];
        RegisterEncoding.putFloat32Cdab(regs, 1, 20.0);
        assertThat(unsigned(regs)).containsExactly(0, 0x0000, 0x41A0);
        RegisterEncoding.putFloat32Cdab(regs, 1, 1.1);
        assertThat(unsigned(regs)).containsExactly(0, 0xCCCD, 0x3F8C);
    }

    @Test
    void int16_scaled_rounds_to_the_resolution_and_keeps_the_sign() {
        short[] regs = new short[1];
        RegisterEncoding.putInt16Scaled(regs, 0, -12.34, 0.1);
        assertThat(regs[0]).isEqualTo((short) -123);
        assertThat(unsigned(regs)).containsExactly(0xFF85);
        RegisterEncoding.putInt16Scaled(regs, 0, 25.06, 0.1);
        assertThat(regs[0]).isEqualTo((short) 251);
    }

    @Test
    void sixteen_bit_values_saturate_instead_of_wrapping() {
        short[] regs = new short[1];
        RegisterEncoding.putInt16(regs, 0, 40_000);
        assertThat(regs[0]).isEqualTo(Short.MAX_VALUE);
        RegisterEncoding.putInt16(regs, 0, -40_000);
        assertThat(regs[0]).isEqualTo(Short.MIN_VALUE);
        RegisterEncoding.putUint16(regs, 0, 70_000);
        assertThat(unsigned(regs)).containsExactly(0xFFFF);
        RegisterEncoding.putUint16Scaled(regs, 0, -3.0, 0.1);
        assertThat(unsigned(regs)).containsExactly(0);
    }
}
