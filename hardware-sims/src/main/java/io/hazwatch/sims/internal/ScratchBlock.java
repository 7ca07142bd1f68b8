package io.hazwatch.sims.internal;

import com.ghgande.j2mod.modbus.procimg.DigitalOut;
import com.ghgande.j2mod.modbus.procimg.Register;

/**
 * The writable extension of a simulator: {@code size} holding registers and {@code size} coils from
 * address {@code base}, holding whatever a master last wrote (FC05, FC06, FC15, FC16) and reading it
 * back (FC01, FC03). The objects handed out write through to this block.
 *
 * <p>Threading: all access is synchronized on this block, so a multi-register write is never seen
 * half done by a read that takes its range under {@link #lock()}.
 */
public final class ScratchBlock {

    private final int base;
    private final int[] registers;
    private final boolean[] coils;

    public ScratchBlock(int base, int size) {
        if (base < 0 || size < 1 || base + size > 0x10000) {
            throw new IllegalArgumentException("scratch block " + base + "+" + size + " outside 0..65535");
        }
        this.base = base;
        this.registers = new int[size];
        this.coils = new boolean[size];
    }

    /** True when {@code offset .. offset + count - 1} lies inside the block. */
    public boolean contains(int offset, int count) {
        return count >= 1 && offset >= base && (long) offset + count <= (long) base + registers.length;
    }

    /** True when {@code address} is one of the block's. */
    public boolean contains(int address) {
        return contains(address, 1);
    }

    /** The monitor that makes a range read or write atomic. */
    public Object lock() {
        return this;
    }

    /** Live registers {@code offset .. offset + count - 1}; the caller checked {@link #contains}. */
    public synchronized Register[] registers(int offset, int count) {
        Register[] out = new Register[count];
        for (int i = 0; i < count; i++) {
            out[i] = new LiveRegister(offset - base + i);
        }
        return out;
    }

    /** Live coils {@code offset .. offset + count - 1}; the caller checked {@link #contains}. */
    public synchronized DigitalOut[] coils(int offset, int count) {
        DigitalOut[] out = new DigitalOut[count];
        for (int i = 0; i < count; i++) {
            out[i] = new LiveCoil(offset - base + i);
        }
        return out;
    }

    /** Register {@code address} as 0..65535. */
    public synchronized int register(int address) {
        return registers[index(address)];
    }

    public synchronized boolean coil(int address) {
        return coils[index(address)];
    }

    private int index(int address) {
        if (!contains(address)) {
            throw new IndexOutOfBoundsException("address " + address + " outside the scratch block " + base + ".."
                    + (base + registers.length - 1));
        }
        return address - base;
    }

    private final class LiveRegister implements Register {
        private final int index;

        LiveRegister(int index) {
            this.index = index;
        }

        @Override
        public int getValue() {
            synchronized (ScratchBlock.this) {
                return registers[index];
            }
        }

        @Override
        public int toUnsignedShort() {
            return getValue();
        }

        @Override
        public short toShort() {
            return (short) getValue();
        }

        @Override
        public byte[] toBytes() {
            int v = getValue();
            return new byte[]{(byte) (v >>> 8), (byte) v};
        }

        @Override
        public void setValue(int v) {
            synchronized (ScratchBlock.this) {
                registers[index] = v & 0xFFFF;
            }
        }

        @Override
        public void setValue(short s) {
            setValue(s & 0xFFFF);
        }

        @Override
        public void setValue(byte[] bytes) {
            if (bytes.length < 2) {
                throw new IllegalArgumentException("a register needs 2 bytes, got " + bytes.length);
            }
            setValue(((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF));
        }
    }

    private final class LiveCoil implements DigitalOut {
        private final int index;

        LiveCoil(int index) {
            this.index = index;
        }

        @Override
        public boolean isSet() {
            synchronized (ScratchBlock.this) {
                return coils[index];
            }
        }

        @Override
        public void set(boolean b) {
            synchronized (ScratchBlock.this) {
                coils[index] = b;
            }
        }
    }
}
