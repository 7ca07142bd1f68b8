package io.hazwatch.sims.internal;

/**
 * An immutable copy of a simulator's registers and status bits at one model step; readers take one
 * image per request so a multi-register value never tears across a step.
 */
public final class RegisterImage {

    private final short[] registers;
    private final boolean[] bits;

    public RegisterImage(short[] registers, boolean[] bits) {
        this.registers = registers.clone();
        this.bits = bits.clone();
    }

    public int registerCount() {
        return registers.length;
    }

    public int bitCount() {
        return bits.length;
    }

    /** Register {@code address} as an unsigned value 0..65535. */
    public int register(int address) {
        return registers[address] & 0xFFFF;
    }

    public boolean bit(int address) {
        return bits[address];
    }
}
